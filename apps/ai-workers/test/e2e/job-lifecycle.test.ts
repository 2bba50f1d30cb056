import { randomUUID } from 'node:crypto';
import {
  JobMessageSchema,
  JobStatusResponseSchema,
  LEARNER_ERROR_MESSAGES,
  readWorkerEnv,
} from '@bandup/shared';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import type { ArchivedDeadLetter } from '../../src/dead-letter/dead-letter-processor.js';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';
import { jobStoreFromEnv } from '../../src/runtime/job-store-from-env.js';
import type { JobWorker } from '../../src/runtime/job-worker.js';
import { createSqsJobHandler } from '../../src/runtime/sqs-job-handler.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import {
  createJobsTable,
  createSubmissionCountersTable,
  type LocalDynamo,
  startDynalite,
} from '../support/dynalite.js';
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.js';
import { sampleWritingResult } from '../support/job-results.js';
import { TEST_SUBMISSION_LIMITS } from '../support/platform-harness.js';

/**
 * The whole path, with the real handler modules wired from their environment exactly as in Lambda
 * (catalogue env vars, SDK endpoint overrides): submit -> message captured by the fake SQS -> the SQS
 * runner with a trivial worker -> status, on dynalite; and the same for a permanent failure and for a
 * message that exhausts its retries and is processed by the dead-letter function.
 */
type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const USER = 'learner-e2e';
const BUCKET = 'bandup-dev-ai-data';
const MAX_RECEIVE_COUNT = 3;

let dynamo: LocalDynamo;
let s3: FakeS3;
let sqs: FakeSqs;
let submit: ApiHandler;
let status: ApiHandler;
let deadLetter: SqsHandler;
let writingRunner: SqsHandler;
const savedEnv = { ...process.env };

/** The trivial writing worker: behaviour chosen by the prompt's first word. */
const trivialWorker: JobWorker<'writing'> = async (message) => {
  const mode = message.payload.prompt.split(' ')[0];
  if (mode === 'unreadable')
    throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess in this essay');
  if (mode === 'overloaded') throw new RetryableJobError('Bedrock is throttling (ThrottlingException)');
  return {
    type: 'succeeded',
    result: sampleWritingResult(),
    model: {
      modelId: 'google.gemma-3-12b-it',
      usage: { inputTokens: 10, outputTokens: 5 },
      latencyMs: 42,
      calls: 1,
    },
  };
};

beforeAll(async () => {
  dynamo = await startDynalite();
  const table = await createJobsTable(dynamo.client);
  const countersTable = await createSubmissionCountersTable(dynamo.client);
  s3 = await startFakeS3();
  sqs = await startFakeSqs();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_SQS: sqs.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    BANDUP_ENV: 'dev',
    BANDUP_JOBS_TABLE: table.tableName,
    BANDUP_JOBS_BY_USER_INDEX: table.byUserIndexName,
    BANDUP_DATA_BUCKET: BUCKET,
    BANDUP_WRITING_QUEUE_URL: `${sqs.url}/123456789012/bandup-dev-writing`,
    BANDUP_SPEAKING_QUEUE_URL: `${sqs.url}/123456789012/bandup-dev-speaking`,
    BANDUP_FLASHCARDS_QUEUE_URL: `${sqs.url}/123456789012/bandup-dev-flashcards`,
    BANDUP_BEDROCK_REGION: 'us-east-1',
    BANDUP_ASSESSMENT_MODEL_ID: 'google.gemma-3-12b-it',
    BANDUP_SUBMISSION_COUNTERS_TABLE: countersTable,
    BANDUP_SUBMISSION_LIMITS: JSON.stringify(TEST_SUBMISSION_LIMITS),
  });
  submit = (await import('../../src/handlers/submit.js')).handler;
  status = (await import('../../src/handlers/status.js')).handler;
  deadLetter = (await import('../../src/handlers/dead-letter.js')).handler;
  const env = readWorkerEnv('writing');
  writingRunner = createSqsJobHandler({
    kind: 'writing',
    worker: trivialWorker,
    store: jobStoreFromEnv(env, createS3Objects()),
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await sqs.close();
  await s3.close();
  await dynamo.close();
});

async function submitEssay(prompt: string): Promise<{ jobId: string; messageBody: string }> {
  const before = sqs.sent.length;
  const response = await submit(
    apiEvent({
      resource: '/v1/writing/assessments',
      body: {
        userId: USER,
        taskType: 'task2',
        prompt,
        essay: 'Some argue that public transport should be free; I partly agree, for three reasons. '.repeat(
          5,
        ),
      },
      headers: { 'Idempotency-Key': `e2e-${randomUUID()}` },
    }),
    lambdaContext('submit'),
  );
  expect(response.statusCode).toBe(202);
  const { jobId } = JSON.parse(response.body) as { jobId: string };
  expect(sqs.sent).toHaveLength(before + 1);
  const messageBody = sqs.sent.at(-1)!.body;
  expect(JobMessageSchema.parse(JSON.parse(messageBody)).jobId).toBe(jobId);
  return { jobId, messageBody };
}

async function jobStatus(jobId: string) {
  const response = await status(
    apiEvent({
      method: 'GET',
      resource: '/v1/jobs/{jobId}',
      path: `/v1/jobs/${jobId}`,
      pathParameters: { jobId },
      query: { userId: USER },
    }),
    lambdaContext('status'),
  );
  expect(response.statusCode).toBe(200);
  return JobStatusResponseSchema.parse(JSON.parse(response.body));
}

describe('job lifecycle end to end (dynalite, fake SQS and S3, real handlers)', () => {
  it('submit -> queue -> runner -> SUCCEEDED -> status returns the result', async () => {
    const { jobId, messageBody } = await submitEssay('Discuss whether public transport should be free.');
    expect(await jobStatus(jobId)).toMatchObject({ status: 'QUEUED', attempts: 0 });

    const delivered = await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    expect(delivered.batchItemFailures).toEqual([]);

    const done = await jobStatus(jobId);
    expect(done).toMatchObject({
      jobId,
      kind: 'writing',
      status: 'SUCCEEDED',
      attempts: 1,
      result: sampleWritingResult(),
    });
    expect(done.startedAt).toBeDefined();
    expect(done.finishedAt).toBeDefined();
  });

  it('submit -> queue -> runner -> permanent failure -> FAILED with the code, not retried', async () => {
    const { jobId, messageBody } = await submitEssay('unreadable prompt for the permanent failure case');
    const delivered = await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    expect(delivered.batchItemFailures).toEqual([]);
    expect(await jobStatus(jobId)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { code: 'INSUFFICIENT_CONTENT', message: 'Nothing to assess in this essay' },
    });
  });

  it('retryable failures until the DLQ -> dead-letter function -> FAILED RETRIES_EXHAUSTED + archived message', async () => {
    const { jobId, messageBody } = await submitEssay('overloaded model for the dead-letter case');
    const messageId = randomUUID();
    for (let receive = 1; receive <= MAX_RECEIVE_COUNT; receive += 1) {
      const record = sqsRecord(messageBody, { messageId, receiveCount: receive });
      const answer = await writingRunner(sqsEvent([record]), lambdaContext('writing'));
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: messageId }]);
      expect(await jobStatus(jobId)).toMatchObject({ status: 'RUNNING', attempts: receive });
    }

    // SQS moves the message to the writing DLQ, which feeds the dead-letter function.
    const dead = sqsRecord(messageBody, {
      messageId,
      receiveCount: MAX_RECEIVE_COUNT,
      queueArn: 'arn:aws:sqs:ap-southeast-1:123456789012:bandup-dev-writing-dlq',
    });
    const answer = await deadLetter(sqsEvent([dead]), lambdaContext('dead-letter'));
    expect(answer.batchItemFailures).toEqual([]);

    const archiveKey = `dead-letters/writing/${jobId}/${messageId}.json`;
    const failed = await jobStatus(jobId);
    expect(failed).toMatchObject({
      status: 'FAILED',
      attempts: MAX_RECEIVE_COUNT,
      // The learner sees the code and a standard message; the reason and the archive stay internal.
      error: { code: 'RETRIES_EXHAUSTED', message: LEARNER_ERROR_MESSAGES.RETRIES_EXHAUSTED },
    });
    const archived = JSON.parse(s3.get(BUCKET, archiveKey)!.body.toString('utf8')) as ArchivedDeadLetter;
    expect(archived).toMatchObject({ messageId, queue: 'writing', jobId, body: messageBody });

    // A second delivery from the DLQ (or a late success) changes nothing.
    await deadLetter(sqsEvent([dead]), lambdaContext('dead-letter'));
    await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    expect(await jobStatus(jobId)).toEqual(failed);
  });
});
