import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { JOBS_TABLE, type JobEvent, JobEventSchema, readWorkerEnv } from '@bandup/shared';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import { jobStoreFromEnv } from '../../src/runtime/job-store-from-env.js';
import type { JobWorker } from '../../src/runtime/job-worker.js';
import { createSqsJobHandler } from '../../src/runtime/sqs-job-handler.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { type FakeSns, startFakeSns } from '../fakes/fake-sns.js';
import { type FakeSqsFifo, FIFO_DEDUPLICATION_MS, startFakeSqsFifo } from '../fakes/fake-sqs-fifo.js';
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
import { type RecordingDynamoProxy, startRecordingDynamoProxy } from '../support/recording-dynamo-proxy.js';

/**
 * Completion events end to end, with the real handler modules wired from their environment as in
 * Lambda: submit -> the job message (fake SQS) -> the writing runner -> the job store on dynalite
 * -> the stream records DynamoDB would have produced for those writes (recorded by a proxy in front
 * of dynalite from the real before/after items) -> the job-events handler -> SNS FIFO (fake, real
 * SDK client) -> the backend's SQS FIFO queue (fake), read by the real SQS client as the backend would.
 */
type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

const USER = 'learner-events';
const BUCKET = 'bandup-dev-ai-data';
const TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:bandup-dev-job-events.fifo';

let clock = new Date('2026-11-29T12:00:00.000Z');
const now = () => clock;
let dynamo: LocalDynamo;
let proxy: RecordingDynamoProxy;
let s3: FakeS3;
let jobQueues: FakeSqs;
let backendQueue: FakeSqsFifo;
let sns: FakeSns;
let backend: SQSClient;
let submit: ApiHandler;
let writingRunner: SqsHandler;
let jobEvents: StreamHandler;
const savedEnv = { ...process.env };

const worker: JobWorker<'writing'> = async (message) => {
  if (message.payload.prompt.startsWith('unreadable'))
    throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess in this essay');
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
  proxy = await startRecordingDynamoProxy({
    target: dynamo.endpoint,
    client: dynamo.client,
    tableName: table.tableName,
    keyAttributes: [JOBS_TABLE.partitionKey],
    now,
  });
  s3 = await startFakeS3();
  jobQueues = await startFakeSqs();
  backendQueue = await startFakeSqsFifo({ name: 'bandup-dev-backend-job-events.fifo', now });
  sns = await startFakeSns({ topicArn: TOPIC_ARN, subscribers: [backendQueue], now });
  backend = new SQSClient({ endpoint: backendQueue.url, region: 'ap-southeast-1', maxAttempts: 1 });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_SQS: jobQueues.url,
    AWS_ENDPOINT_URL_SNS: sns.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    BANDUP_ENV: 'dev',
    BANDUP_JOBS_TABLE: table.tableName,
    BANDUP_JOBS_BY_USER_INDEX: table.byUserIndexName,
    BANDUP_DATA_BUCKET: BUCKET,
    BANDUP_WRITING_QUEUE_URL: `${jobQueues.url}/123456789012/bandup-dev-writing`,
    BANDUP_SPEAKING_QUEUE_URL: `${jobQueues.url}/123456789012/bandup-dev-speaking`,
    BANDUP_FLASHCARDS_QUEUE_URL: `${jobQueues.url}/123456789012/bandup-dev-flashcards`,
    BANDUP_JOB_EVENTS_TOPIC_ARN: TOPIC_ARN,
    BANDUP_SUBMISSION_COUNTERS_TABLE: countersTable,
    BANDUP_SUBMISSION_LIMITS: JSON.stringify(TEST_SUBMISSION_LIMITS),
    BANDUP_BEDROCK_REGION: 'us-east-1',
    BANDUP_ASSESSMENT_MODEL_ID: 'google.gemma-3-12b-it',
  });
  submit = (await import('../../src/handlers/submit.js')).handler;
  jobEvents = (await import('../../src/handlers/job-events.js')).handler;
  writingRunner = createSqsJobHandler({
    kind: 'writing',
    worker,
    store: jobStoreFromEnv(readWorkerEnv('writing'), createS3Objects()),
  });
});

afterAll(async () => {
  process.env = savedEnv;
  backend.destroy();
  await sns.close();
  await backendQueue.close();
  await jobQueues.close();
  await s3.close();
  await proxy.close();
  await dynamo.close();
});

beforeEach(() => {
  sns.failPublish = undefined;
  jobQueues.sendFailure = undefined;
});

/** Submits an essay and returns the job id and the message the submit function enqueued. */
async function submitEssay(
  prompt: string,
  idempotencyKey = `events-${randomUUID()}`,
): Promise<{ jobId: string; messageBody: string }> {
  const response = await postEssay(prompt, idempotencyKey);
  expect(response.statusCode).toBe(202);
  return {
    jobId: (JSON.parse(response.body) as { jobId: string }).jobId,
    messageBody: jobQueues.sent.at(-1)!.body,
  };
}

function postEssay(prompt: string, idempotencyKey: string): Promise<APIGatewayProxyResult> {
  return submit(
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
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
    lambdaContext('submit'),
  );
}

/** The stream records of one job's writes, in commit order. */
const recordsOf = (jobId: string): DynamoDBRecord[] =>
  proxy.records.filter((r) => r.dynamodb?.Keys?.jobId?.S === jobId);

async function deliverStream(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  return jobEvents({ Records: records }, lambdaContext('job-events'));
}

/** What the backend receives: every message, deleted after reading (as a successful consumer does). */
async function backendReceivesAll(): Promise<{ event: JobEvent; groupId: string | undefined }[]> {
  const received: { event: JobEvent; groupId: string | undefined }[] = [];
  for (;;) {
    const answer = await backend.send(
      new ReceiveMessageCommand({
        QueueUrl: backendQueue.queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return received;
    for (const message of messages) {
      received.push({
        event: JobEventSchema.parse(JSON.parse(message.Body ?? '')),
        groupId: message.Attributes?.MessageGroupId,
      });
      await backend.send(
        new DeleteMessageCommand({ QueueUrl: backendQueue.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
}

describe('completion events end to end (dynalite + stream records, fake SNS FIFO and SQS FIFO)', () => {
  it('a job delivered twice, its stream delivered twice: the backend gets exactly one event', async () => {
    const { jobId, messageBody } = await submitEssay('Discuss whether public transport should be free.');
    // The job message is delivered twice (SQS at-least-once): the second delivery finds the job done.
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const answer = await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
      expect(answer.batchItemFailures).toEqual([]);
    }
    const records = recordsOf(jobId);
    expect(
      records.map((r) => [r.eventName, r.dynamodb?.OldImage?.status?.S, r.dynamodb?.NewImage?.status?.S]),
    ).toEqual([
      ['INSERT', undefined, 'QUEUED'],
      ['MODIFY', 'QUEUED', 'RUNNING'],
      ['MODIFY', 'RUNNING', 'SUCCEEDED'],
    ]);

    // The stream batch is delivered twice (a retry after a timeout, say), and once more split in two.
    expect(await deliverStream(records)).toEqual({ batchItemFailures: [] });
    expect(await deliverStream(records)).toEqual({ batchItemFailures: [] });
    expect(await deliverStream(records.slice(2))).toEqual({ batchItemFailures: [] });

    const published = sns.publishes.filter((p) => p.groupId === jobId);
    expect(published.map((p) => p.deduplicationId)).toEqual(Array(3).fill(`${jobId}:SUCCEEDED`));
    expect(published.map((p) => p.delivered)).toEqual([true, false, false]);
    expect(new Set(published.map((p) => p.message)).size).toBe(1);
    expect(published[0]?.attributes).toEqual({
      type: { type: 'String', value: 'job.succeeded' },
      kind: { type: 'String', value: 'writing' },
      schemaVersion: { type: 'Number', value: '1' },
    });

    const received = await backendReceivesAll();
    expect(received).toHaveLength(1);
    expect(received[0]?.groupId).toBe(jobId);
    expect(received[0]?.event).toEqual({
      schemaVersion: 1,
      eventId: `${jobId}:SUCCEEDED`,
      type: 'job.succeeded',
      jobId,
      userId: USER,
      kind: 'writing',
      status: 'SUCCEEDED',
      occurredAt: records[2]?.dynamodb?.NewImage?.finishedAt?.S,
      attempts: 1,
      summary: {
        kind: 'writing',
        taskType: 'task2',
        band: 6.5,
        criteria: {
          taskAchievement: 6.5,
          coherenceCohesion: 6.5,
          lexicalResource: 6,
          grammaticalRangeAccuracy: 7,
        },
        wordCount: 270,
        underLength: false,
      },
    });
  });

  it('a failed job: one job.failed event with its error code', async () => {
    const { jobId, messageBody } = await submitEssay('unreadable essay for the failure case');
    await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    await deliverStream(recordsOf(jobId));
    await deliverStream(recordsOf(jobId));
    const received = await backendReceivesAll();
    expect(received.map((r) => r.event)).toEqual([
      expect.objectContaining({
        eventId: `${jobId}:FAILED`,
        type: 'job.failed',
        status: 'FAILED',
        error: { code: 'INSUFFICIENT_CONTENT', message: 'Nothing to assess in this essay' },
      }),
    ]);
  });

  it('an SNS outage mid-batch: the batch resumes at the failed record, and republishing stays exactly once', async () => {
    const first = await submitEssay('Discuss the first essay of the batch.');
    const second = await submitEssay('Discuss the second essay of the batch.');
    await writingRunner(
      sqsEvent([sqsRecord(first.messageBody), sqsRecord(second.messageBody)]),
      lambdaContext('writing'),
    );
    const records = proxy.records.filter((r) =>
      [first.jobId, second.jobId].includes(r.dynamodb?.Keys?.jobId?.S ?? ''),
    );
    const terminalOfSecond = records.find(
      (r) => r.dynamodb?.Keys?.jobId?.S === second.jobId && r.dynamodb?.NewImage?.status?.S === 'SUCCEEDED',
    );

    // SNS fails for the second job only: the first is published, the second reported.
    sns.failPublish = (dedup) => (dedup?.startsWith(second.jobId) ? 'InternalError' : undefined);
    const failed = await deliverStream(records);
    expect(failed).toEqual({
      batchItemFailures: [{ itemIdentifier: terminalOfSecond?.dynamodb?.SequenceNumber }],
    });
    expect(await backendReceivesAll()).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ jobId: first.jobId }) }),
    ]);

    // SNS recovers. Lambda redelivers from the failed record; a worst-case redelivery of the whole
    // batch (the checkpoint lost with a timed-out invocation) republishes the first job's event too.
    sns.failPublish = undefined;
    const resumeAt = records.indexOf(terminalOfSecond as DynamoDBRecord);
    expect(await deliverStream(records.slice(resumeAt))).toEqual({ batchItemFailures: [] });
    expect(await deliverStream(records)).toEqual({ batchItemFailures: [] });
    const received = await backendReceivesAll();
    expect(received.map((r) => r.event.eventId)).toEqual([`${second.jobId}:SUCCEEDED`]);
  });

  it('a submission answered 503 (message not sent) and retried: no event for the unsent job, one when it finishes', async () => {
    const key = `events-${randomUUID()}`;
    jobQueues.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    const refused = await postEssay('Discuss the essay whose first submission failed.', key);
    expect(refused.statusCode).toBe(503);
    jobQueues.sendFailure = undefined;
    const { jobId, messageBody } = await submitEssay('Discuss the essay whose first submission failed.', key);
    await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));

    const records = recordsOf(jobId);
    expect(records.map((r) => [r.dynamodb?.OldImage?.status?.S, r.dynamodb?.NewImage?.status?.S])).toEqual([
      [undefined, 'QUEUED'],
      ['QUEUED', 'FAILED'],
      ['FAILED', 'QUEUED'],
      ['QUEUED', 'RUNNING'],
      ['RUNNING', 'SUCCEEDED'],
    ]);
    expect(records[1]?.dynamodb?.NewImage?.enqueueFailed).toEqual({ BOOL: true });
    expect(await deliverStream(records)).toEqual({ batchItemFailures: [] });
    const received = await backendReceivesAll();
    expect(received.map((r) => r.event.eventId)).toEqual([`${jobId}:SUCCEEDED`]);
  });

  it('past the five-minute FIFO window a replayed record is delivered again, with the same event id and body', async () => {
    // Deduplication by SNS and SQS FIFO covers Lambda's retries (seconds to minutes). An operator
    // replay from the on-failure destination hours later gets past it: the backend deduplicates on
    // eventId, which is why the event is a pure function of the stored item.
    const { jobId, messageBody } = await submitEssay('Discuss the replayed essay.');
    await writingRunner(sqsEvent([sqsRecord(messageBody)]), lambdaContext('writing'));
    await deliverStream(recordsOf(jobId));
    const [original] = await backendReceivesAll();

    clock = new Date(clock.getTime() + FIFO_DEDUPLICATION_MS - 1000);
    await deliverStream(recordsOf(jobId));
    expect(await backendReceivesAll()).toEqual([]);

    clock = new Date(clock.getTime() + FIFO_DEDUPLICATION_MS);
    await deliverStream(recordsOf(jobId));
    const [replayed] = await backendReceivesAll();
    expect(replayed?.event.eventId).toBe(`${jobId}:SUCCEEDED`);
    expect(replayed?.event).toEqual(original?.event);
  });
});
