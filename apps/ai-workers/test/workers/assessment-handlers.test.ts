import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JobMessageOf } from '@bandup/shared';
import { readWorkerEnv, SpeakingResultSchema, WritingResultSchema } from '@bandup/shared';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import type { JobStore } from '../../src/jobs/job-store.js';
import { jobStoreFromEnv } from '../../src/runtime/job-store-from-env.js';
import { silentWav } from '../fakes/audio-files.js';
import { type FakeBedrock, startFakeBedrock } from '../fakes/fake-bedrock.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { type FakeTranscribe, startFakeTranscribe } from '../fakes/fake-transcribe.js';
import { createJobsTable, type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';

/**
 * The three assessment handler modules, wired from their environment exactly as in Lambda (catalogue
 * env vars, SDK endpoint overrides to loopback fakes and dynalite): a Writing job, and a Speaking job
 * through `speaking` -> Transcribe -> `speaking-finalize`.
 */
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const USER = 'learner-handlers';
const BUCKET = 'bandup-dev-ai-data';
const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/h';
const KMS_KEY = 'arn:aws:kms:ap-southeast-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

let dynamo: LocalDynamo;
let s3: FakeS3;
let transcribe: FakeTranscribe;
let bedrock: FakeBedrock;
let store: JobStore;
let writing: SqsHandler;
let speaking: SqsHandler;
let finalize: SqsHandler;
const savedEnv = { ...process.env };
let modelGate: Promise<void> | undefined;

beforeAll(async () => {
  dynamo = await startDynalite();
  const table = await createJobsTable(dynamo.client);
  s3 = await startFakeS3();
  transcribe = await startFakeTranscribe();
  // Answers by the prompt: the Writing or the Speaking examiner answer.
  bedrock = await startFakeBedrock({
    converse: async (call) => {
      // A test may hold the model's answer back to keep a run in flight.
      await modelGate;
      return call.body.messages[0]?.content[0]?.text?.startsWith('Speaking test')
        ? fixture('model-answers/speaking-part2.json')
        : fixture('model-answers/writing-task2.json');
    },
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_TRANSCRIBE: transcribe.url,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    BANDUP_ENV: 'dev',
    BANDUP_JOBS_TABLE: table.tableName,
    BANDUP_JOBS_BY_USER_INDEX: table.byUserIndexName,
    BANDUP_DATA_BUCKET: BUCKET,
    BANDUP_BEDROCK_REGION: 'us-east-1',
    BANDUP_ASSESSMENT_MODEL_ID: 'google.gemma-3-12b-it',
    BANDUP_TRANSCRIBE_OUTPUT_KMS_KEY_ID: KMS_KEY,
  });
  writing = (await import('../../src/handlers/writing.js')).handler;
  speaking = (await import('../../src/handlers/speaking.js')).handler;
  finalize = (await import('../../src/handlers/speaking-finalize.js')).handler;
  store = jobStoreFromEnv(readWorkerEnv('writing'), createS3Objects());
});

afterAll(async () => {
  process.env = savedEnv;
  await bedrock.close();
  await transcribe.close();
  await s3.close();
  await dynamo.close();
});

async function queuedJob(kind: 'writing' | 'speaking'): Promise<string> {
  const { job } = await store.create({ userId: USER, kind, principal: PRINCIPAL, requestHash: randomUUID() });
  return job.jobId;
}

const envelope = (jobId: string) => ({
  jobId,
  userId: USER,
  principal: PRINCIPAL,
  submittedAt: new Date().toISOString(),
});

describe('assessment handler modules', () => {
  it('writing: a queued job ends SUCCEEDED with the computed task band', async () => {
    const jobId = await queuedJob('writing');
    const message: JobMessageOf<'writing'> = {
      ...envelope(jobId),
      kind: 'writing',
      payload: { userId: USER, ...JSON.parse(fixture('writing-task2-essay.json')) },
    };
    const batch = await writing(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('writing'));
    expect(batch.batchItemFailures).toEqual([]);
    const job = await store.get(jobId);
    expect(job?.status).toBe('SUCCEEDED');
    expect(WritingResultSchema.parse(job?.result).taskBand).toBe(6.5);
    expect(bedrock.converseCalls.at(-1)?.modelId).toBe('google.gemma-3-12b-it');
  });

  it('writing: two copies of one message delivered concurrently call the model once', async () => {
    const jobId = await queuedJob('writing');
    const body = JSON.stringify({
      ...envelope(jobId),
      kind: 'writing',
      payload: { userId: USER, ...JSON.parse(fixture('writing-task2-essay.json')) },
    } satisfies JobMessageOf<'writing'>);
    const callsBefore = bedrock.converseCalls.length;
    let release = () => {};
    modelGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const settled: string[] = [];
    const deliver = (messageId: string) =>
      writing(sqsEvent([sqsRecord(body, { messageId })]), lambdaContext('writing')).then((batch) => {
        settled.push(messageId);
        return batch;
      });
    // At-least-once delivery: the same message reaches two concurrent invocations.
    const copies = Promise.all([deliver('copy-1'), deliver('copy-2')]);
    // One copy is in the model call (held by the gate); the other has already given up.
    try {
      await vi.waitFor(
        () => {
          expect(bedrock.converseCalls.length).toBe(callsBefore + 1);
          expect(settled).toHaveLength(1);
        },
        { timeout: 15_000, interval: 50 },
      );
    } finally {
      release();
      modelGate = undefined;
    }
    const [first, second] = await copies;
    const failures = [...first.batchItemFailures, ...second.batchItemFailures];
    // The duplicate is handed back to SQS (not acknowledged: its delete would drop the message for both).
    expect(failures).toEqual([{ itemIdentifier: settled[0] }]);
    expect(bedrock.converseCalls.length).toBe(callsBefore + 1);
    expect(await store.get(jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });

    // Its redelivery after the visibility timeout finds the job finished and is acknowledged.
    const redelivered = await writing(
      sqsEvent([sqsRecord(body, { messageId: settled[0]!, receiveCount: 2 })]),
      lambdaContext('writing'),
    );
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(bedrock.converseCalls.length).toBe(callsBefore + 1);
  });

  it('speaking -> Transcribe -> speaking-finalize: a recording ends SUCCEEDED with the computed band', async () => {
    const jobId = await queuedJob('speaking');
    const audioKey = `uploads/speaking/${USER}/${randomUUID()}.wav`;
    s3.put(BUCKET, audioKey, { body: silentWav(40), contentType: 'audio/wav' });
    const message: JobMessageOf<'speaking'> = {
      ...envelope(jobId),
      kind: 'speaking',
      payload: { userId: USER, part: 2, questions: ['Describe a place you like to visit.'], audioKey },
    };

    const started = await speaking(
      sqsEvent([
        sqsRecord(JSON.stringify(message), {
          queueArn: 'arn:aws:sqs:ap-southeast-1:123456789012:bandup-dev-speaking',
        }),
      ]),
      lambdaContext('speaking'),
    );
    expect(started.batchItemFailures).toEqual([]);
    expect((await store.get(jobId))?.status).toBe('RUNNING');
    const jobName = `bandup-dev-${jobId}`;
    expect(transcribe.jobs.get(jobName)).toMatchObject({
      OutputBucketName: BUCKET,
      OutputKey: `transcripts/dev/${jobId}/transcript.json`,
      OutputEncryptionKMSKeyId: KMS_KEY,
    });

    // Transcribe finishes: the transcript lands where it was told, EventBridge sends the event.
    s3.put(BUCKET, `transcripts/dev/${jobId}/transcript.json`, {
      body: Buffer.from(fixture('speaking-part2-transcript.json')),
      contentType: 'application/json',
    });
    transcribe.complete(jobName);
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Transcribe Job State Change',
      source: 'aws.transcribe',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'ap-southeast-1',
      resources: [],
      detail: { TranscriptionJobName: jobName, TranscriptionJobStatus: 'COMPLETED' },
    };
    const finalizeQueue = 'arn:aws:sqs:ap-southeast-1:123456789012:bandup-dev-speaking-finalize';
    const finished = await finalize(
      sqsEvent([
        sqsRecord(JSON.stringify(event), { queueArn: finalizeQueue }),
        sqsRecord('garbage', { messageId: 'poison-1', queueArn: finalizeQueue }),
      ]),
      lambdaContext('speaking-finalize'),
    );
    // The good record is done; the one that is not an event is left for redelivery and the DLQ.
    expect(finished.batchItemFailures).toEqual([{ itemIdentifier: 'poison-1' }]);

    const job = await store.get(jobId);
    expect(job?.status).toBe('SUCCEEDED');
    const result = SpeakingResultSchema.parse(job?.result);
    expect(result.band).toBe(6);
    expect(result.features.wordsPerMinute).toBe(124.8);
  });
});
