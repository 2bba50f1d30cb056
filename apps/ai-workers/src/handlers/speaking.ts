import { readWorkerEnv } from '@bandup/shared';
import { createS3Objects } from '../clients/s3-objects.js';
import { createTranscribeClient, TranscriptionJobs } from '../clients/transcribe.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { environmentName } from '../workers/environment-name.js';
import { createSpeakingWorker } from '../workers/speaking.js';

/** `speaking`: checks an uploaded recording and starts its Transcribe job (see `createSpeakingWorker`). */
const env = readWorkerEnv('speaking');
const s3 = createS3Objects({ capture: traced });
const kmsKeyId = env.transcribeOutputKmsKeyId;

export const handler = instrument(
  createSqsJobHandler({
    kind: 'speaking',
    worker: createSpeakingWorker({
      s3,
      transcription: new TranscriptionJobs(createTranscribeClient({ capture: traced })),
      environment: environmentName(env.get('environment')),
      dataBucket: env.get('dataBucket'),
      ...(kmsKeyId ? { transcribeOutputKmsKeyId: kmsKeyId } : {}),
    }),
    store: jobStoreFromEnv(env, s3),
  }),
);
