import { readWorkerEnv } from '@bandup/shared';
import { BedrockConverseModel } from '../clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../clients/bedrock-runtime.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { createWritingWorker } from '../workers/writing.js';

/**
 * `writing`: assesses IELTS Writing tasks from the writing queue (see `createWritingWorker`). S3 is
 * only for a result too large for the job item.
 */
const env = readWorkerEnv('writing');
const s3 = createS3Objects({ capture: traced });
const model = new BedrockConverseModel(
  createBedrockRuntimeClient({ region: env.get('bedrockRegion'), capture: traced }),
  env.get('assessmentModelId'),
);

export const handler = instrument(
  createSqsJobHandler({
    kind: 'writing',
    worker: createWritingWorker({ model }),
    store: jobStoreFromEnv(env, s3),
  }),
);
