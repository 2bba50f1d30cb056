import { readWorkerEnv } from '@bandup/shared';
import type { Context, SQSEvent } from 'aws-lambda';
import { BedrockConverseModel } from '../clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../clients/bedrock-runtime.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { createTranscribeClient, TranscriptionJobs } from '../clients/transcribe.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';
import { processRecords } from '../runtime/process-records.js';
import { environmentName } from '../workers/environment-name.js';
import { createSpeakingFinalizer, speakingFinalizeRecordHandler } from '../workers/speaking-finalize.js';

/** `speaking-finalize`: Transcribe state-change events -> scored Speaking jobs (see `createSpeakingFinalizer`). */
const env = readWorkerEnv('speaking-finalize');
const s3 = createS3Objects({ capture: traced });
const handleRecord = speakingFinalizeRecordHandler(
  createSpeakingFinalizer({
    store: jobStoreFromEnv(env, s3),
    s3,
    transcription: new TranscriptionJobs(createTranscribeClient({ capture: traced })),
    model: new BedrockConverseModel(
      createBedrockRuntimeClient({ region: env.get('bedrockRegion'), capture: traced }),
      env.get('assessmentModelId'),
    ),
    environment: environmentName(env.get('environment')),
    dataBucket: env.get('dataBucket'),
    logger,
  }),
);

export const handler = instrument((event: SQSEvent, context: Context) =>
  processRecords(event, context, handleRecord, logger),
);
