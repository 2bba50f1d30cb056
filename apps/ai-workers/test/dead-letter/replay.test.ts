import { Logger } from '@aws-lambda-powertools/logger';
import { QUEUE_NAMES, type QueueName } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadLetterHandler, deadLetterKey } from '../../src/dead-letter/dead-letter-processor.js';
import { replayDeadLetter } from '../../src/dead-letter/replay-dead-letter.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { TEST_DATA_BUCKET } from '../support/job-store-harness.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';

/**
 * The replay runbook, for every queue: a message exhausts its retries, the dead-letter function
 * fails the job and archives the message, the replay puts the job back where the message can finish
 * it and sends the archived body to its queue (the fake SQS).
 */
const logger = new Logger({ logLevel: 'SILENT' });
const ARN = (name: string) => `arn:aws:sqs:ap-southeast-1:123456789012:bandup-dev-${name}`;
const KIND: Record<QueueName, 'writing' | 'speaking' | 'flashcards'> = {
  writing: 'writing',
  speaking: 'speaking',
  'speaking-finalize': 'speaking',
  flashcards: 'flashcards',
};
let h: PlatformHarness;
let queueUrls: Record<QueueName, string>;

beforeAll(async () => {
  h = await startPlatformHarness();
  queueUrls = Object.fromEntries(
    QUEUE_NAMES.map((queue) => [queue, `${h.sqs.url}/123456789012/bandup-dev-${queue}`]),
  ) as Record<QueueName, string>;
});
afterAll(async () => {
  await h.close();
});

const replay = (key: string) =>
  replayDeadLetter(
    { s3: h.s3Objects, dataBucket: TEST_DATA_BUCKET, store: h.store, sqs: h.sqsClient, queueUrls },
    key,
  );

async function deadLettered(queue: QueueName): Promise<{ jobId: string; key: string; body: string }> {
  const { job } = await h.store.create({
    userId: 'u-replay',
    kind: KIND[queue],
    principal: 'p',
    requestHash: 'h',
  });
  await h.store.start(job.jobId, { owner: 'run', durationMs: 60_000 });
  await h.store.noteRetry(job.jobId, 'ThrottlingException', { owner: 'run' });
  if (queue === 'speaking-finalize') {
    await h.store.start(job.jobId, { owner: 'speak', durationMs: 60_000 });
    await h.store.wait(job.jobId, 'speak', 'transcribing', 60_000);
  }
  const body =
    queue === 'speaking-finalize'
      ? JSON.stringify({
          'detail-type': 'Transcribe Job State Change',
          source: 'aws.transcribe',
          detail: { TranscriptionJobName: `bandup-dev-${job.jobId}`, TranscriptionJobStatus: 'COMPLETED' },
        })
      : JSON.stringify({ jobId: job.jobId, kind: KIND[queue] });
  const record = sqsRecord(body, { queueArn: ARN(`${queue}-dlq`), receiveCount: 3 });
  const handler = createDeadLetterHandler({
    store: h.store,
    s3: h.s3Objects,
    dataBucket: TEST_DATA_BUCKET,
    logger,
  });
  expect((await handler(sqsEvent([record]), lambdaContext('dead-letter'))).batchItemFailures).toEqual([]);
  expect((await h.store.get(job.jobId))?.error?.code).toBe('RETRIES_EXHAUSTED');
  return { jobId: job.jobId, key: deadLetterKey(queue, job.jobId, record.messageId), body };
}

describe('replaying dead letters', () => {
  it.each([...QUEUE_NAMES])('%s: reopens the job and sends the archived body to its queue', async (queue) => {
    const { jobId, key, body } = await deadLettered(queue);
    const before = h.sqs.sent.length;
    expect(await replay(key)).toEqual({ action: 'sent', queue, jobId, reopened: true });
    const sent = h.sqs.sent.slice(before);
    expect(sent.map((m) => [m.queueUrl, m.body])).toEqual([[queueUrls[queue], body]]);

    const job = await h.store.get(jobId);
    expect(job?.error).toBeUndefined();
    if (queue === 'speaking-finalize') {
      // RUNNING and waiting: speaking-finalize can resume it (no model call is wasted on a job it cannot finish).
      expect(job).toMatchObject({ status: 'RUNNING', sweepShard: 'ACTIVE' });
      expect(await h.store.resume(jobId, { owner: 'finalize', durationMs: 60_000 })).toMatchObject({
        outcome: 'started',
      });
    } else {
      expect(job).toMatchObject({ status: 'QUEUED', sweepShard: 'ACTIVE' });
      expect(await h.store.start(jobId, { owner: 'worker', durationMs: 60_000 })).toMatchObject({
        outcome: 'started',
      });
    }
  });

  it('sends nothing for a job that failed on its input (the message could not change it)', async () => {
    const { jobId, key } = await deadLettered('writing');
    await h.store.reopen(jobId, 'queued');
    await h.store.fail(jobId, { code: 'INVALID_INPUT', message: 'bad essay' });
    const before = h.sqs.sent.length;
    expect(await replay(key)).toMatchObject({
      action: 'skipped',
      reason: expect.stringContaining('INVALID_INPUT'),
    });
    expect(h.sqs.sent).toHaveLength(before);
  });
});
