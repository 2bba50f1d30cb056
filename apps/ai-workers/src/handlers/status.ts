import { readWorkerEnv } from '@bandup/shared';
import { createStatusRoute } from '../api/job-status.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { apiHandler } from '../http/api-handler.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';

/**
 * `status`: GET /v1/jobs/{jobId}?userId=<id> (see `createStatusRoute`). S3 is read only when a
 * result was too large for the item.
 */
const env = readWorkerEnv('status');

export const handler = instrument(
  apiHandler(
    logger,
    createStatusRoute({ store: jobStoreFromEnv(env, createS3Objects({ capture: traced })) }),
  ),
);
