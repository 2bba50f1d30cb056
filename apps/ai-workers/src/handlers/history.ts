import { readWorkerEnv } from '@bandup/shared';
import { createHistoryRoute } from '../api/job-history.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { apiHandler } from '../http/api-handler.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';

/** `history`: GET /v1/jobs?userId=<id>[&kind][&limit][&cursor] (see `createHistoryRoute`). */
const env = readWorkerEnv('history');

export const handler = instrument(
  apiHandler(
    logger,
    createHistoryRoute({ store: jobStoreFromEnv(env, createS3Objects({ capture: traced })) }),
  ),
);
