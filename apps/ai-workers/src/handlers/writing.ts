import { readWorkerEnv } from '@bandup/shared';
import { BedrockConverseModel } from '../clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../clients/bedrock-runtime.js';
import { createS3Client } from '../clients/s3.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { createWritingWorker } from '../workers/writing.js';

/** `writing`: assesses IELTS Writing tasks from the writing queue (see `createWritingWorker`). */
const env = readWorkerEnv('writing');
const s3 = createS3Client({ capture: traced });
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
