import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { JobMessageOf, SpeakingPart } from '@bandup/shared';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import { createTranscribeClient, TranscriptionJobs } from '../../src/clients/transcribe.js';
import type { WorkerContext } from '../../src/runtime/job-worker.js';
import { FAKE_CREDENTIALS } from '../fakes/fake-bedrock.js';
import type { FakeS3 } from '../fakes/fake-s3.js';
import type { FakeTranscribe } from '../fakes/fake-transcribe.js';

export const DATA_BUCKET = 'bandup-test-ai-data';
const USER_ID = 'learner-42';

/** A Speaking job message as the submit function sends it. */
export function speakingMessage(
  options: { part?: SpeakingPart; extension?: string; jobId?: string; language?: 'en' | 'vi' } = {},
): JobMessageOf<'speaking'> {
  const userId = USER_ID;
  return {
    jobId: options.jobId ?? randomUUID(),
    userId,
    principal: 'arn:aws:sts::111111111111:assumed-role/bandup-dev-backend-task/abc',
    submittedAt: new Date().toISOString(),
    kind: 'speaking',
    payload: {
      userId,
      part: options.part ?? 2,
      questions: [
        'Describe a place you like to visit. You should say where it is, how often you go there, and why you like it.',
      ],
      audioKey: `uploads/speaking/${userId}/${randomUUID()}.${options.extension ?? 'wav'}`,
      ...(options.language ? { language: options.language } : {}),
    },
  };
}

export function workerContext(message: { jobId: string; userId: string }): WorkerContext {
  return {
    jobId: message.jobId,
    userId: message.userId,
    attempt: 1,
    logger: new Logger({ serviceName: 'speaking-test' }),
    remainingTimeMs: () => 60_000,
  };
}

/** The workers' S3 and Transcribe clients pointed at the fakes. */
export function awsClientsFor(s3: FakeS3, transcribe: FakeTranscribe) {
  const s3Objects = createS3Objects({
    region: 'ap-southeast-1',
    endpoint: s3.url,
    forcePathStyle: true,
    credentials: FAKE_CREDENTIALS,
  });
  const transcribeClient = createTranscribeClient({
    region: 'ap-southeast-1',
    endpoint: transcribe.url,
    credentials: FAKE_CREDENTIALS,
  });
  return {
    s3Objects,
    transcription: new TranscriptionJobs(transcribeClient),
    destroy: () => {
      s3Objects.destroy();
      transcribeClient.destroy();
    },
  };
}
