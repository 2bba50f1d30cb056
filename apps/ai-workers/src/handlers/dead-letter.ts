import { readWorkerEnv } from '@bandup/shared';
import { createS3Objects } from '../clients/s3-objects.js';
import { createDeadLetterHandler } from '../dead-letter/dead-letter-processor.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';

/** `dead-letter`: fed by the four DLQs; archives each dead message and fails its job (see the processor). */
const env = readWorkerEnv('dead-letter');
const s3 = createS3Objects({ capture: traced });

export const handler = instrument(
  createDeadLetterHandler({ store: jobStoreFromEnv(env, s3), s3, dataBucket: env.get('dataBucket'), logger }),
);
