import { readWorkerEnv } from '@bandup/shared';
import { createTestBandRoute } from '../api/test-band.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { apiHandler } from '../http/api-handler.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';

/** `test-band`: GET /v1/writing/test-band and /v1/speaking/test-band (see `createTestBandRoute`). */
const env = readWorkerEnv('test-band');

export const handler = instrument(
  apiHandler(
    logger,
    createTestBandRoute({ store: jobStoreFromEnv(env, createS3Objects({ capture: traced })) }),
  ),
);
