import type { JobMessageOf } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobItem } from '../../src/jobs/job-item.js';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';
import type { JobWorker } from '../../src/runtime/job-worker.js';
import { createSqsJobHandler } from '../../src/runtime/sqs-job-handler.js';
import { BACKEND_ROLE_ARN, lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

let h: JobStoreHarness;
beforeAll(async () => {
  h = await startJobStoreHarness();
});
afterAll(async () => {
  await h.close();
});

const payload = {
  userId: 'learner-1',
  taskType: 'task2' as const,
  prompt: 'Discuss both views and give your opinion.',
  essay: 'An essay long enough to pass the schema minimum of twenty characters.',
};

async function queuedJob(userId = 'learner-1'): Promise<{ job: JobItem; message: JobMessageOf<'writing'> }> {
  const { job } = await h.store.create({
    userId,
    kind: 'writing',
    principal: BACKEND_ROLE_ARN,
    requestHash: 'x',
  });
  const message: JobMessageOf<'writing'> = {
    jobId: job.jobId,
    kind: 'writing',
    userId,
    principal: BACKEND_ROLE_ARN,
    submittedAt: job.createdAt,
    payload: { ...payload, userId },
  };
  return { job, message };
}

/** A worker whose behaviour is chosen per job by the first word of the prompt. */
const scriptedWorker: JobWorker<'writing'> = async (message, context) => {
  expect(context.jobId).toBe(message.jobId);
  const mode = message.payload.prompt;
  if (mode.startsWith('permanent'))
    throw new PermanentJobError('MODEL_OUTPUT_INVALID', 'no JSON', { raw: 'oops' });
  if (mode.startsWith('throttled')) {
    throw Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
  }
  if (mode.startsWith('retryable')) throw new RetryableJobError('model busy');
  if (mode.startsWith('bug')) throw new TypeError('cannot read properties of undefined');
  if (mode.startsWith('waiting')) return { type: 'waiting', reason: 'transcribing', waitMs: 60_000 };
  if (mode.startsWith('bad-result')) return { type: 'succeeded', result: { nonsense: true } };
  if (mode.startsWith('hangs')) return new Promise(() => {});
  return { type: 'succeeded', result: sampleWritingResult() };
};

const run = (...bodies: string[]) => {
  const records = bodies.map((body) => sqsRecord(body));
  const live = createSqsJobHandler({ kind: 'writing', worker: scriptedWorker, store: h.store });
  return live(sqsEvent(records), lambdaContext('writing')).then((response) => ({ records, response }));
};
const withPrompt = (message: JobMessageOf<'writing'>, prompt: string) =>
  JSON.stringify({
    ...message,
    payload: { ...message.payload, prompt: `${prompt} ${message.payload.prompt}` },
  });

describe('SQS job runner', () => {
  it('reports only the poison record of a batch failed, and finishes the good ones', async () => {
    const a = await queuedJob();
    const b = await queuedJob();
    const { records, response } = await run(
      JSON.stringify(a.message),
      '{"jobId": oops',
      JSON.stringify(b.message),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.messageId }]);
    expect(await h.store.get(a.job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(await h.store.get(b.job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  });

  it('fails a job whose message is invalid with INVALID_INPUT and does not retry it', async () => {
    const { job, message } = await queuedJob();
    const invalid = JSON.stringify({
      ...message,
      payload: { ...message.payload, taskType: 'task7', essay: 5 },
    });
    const wrongKind = await queuedJob();
    const { response } = await run(invalid, JSON.stringify({ ...wrongKind.message, kind: 'flashcards' }));
    expect(response.batchItemFailures).toEqual([]);
    const failed = await h.store.get(job.jobId);
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'INVALID_INPUT' } });
    const problems = (failed!.error!.details as { problems: { path: string }[] }).problems.map((p) => p.path);
    expect(problems).toEqual(expect.arrayContaining(['payload.taskType', 'payload.essay']));
    expect((await h.store.get(wrongKind.job.jobId))?.error?.code).toBe('INVALID_INPUT');
  });

  it('acknowledges a redelivered message of a finished job without changing it', async () => {
    const { job, message } = await queuedJob();
    await run(JSON.stringify(message));
    const finished = await h.store.get(job.jobId);
    const { response } = await run(withPrompt(message, 'permanent'));
    expect(response.batchItemFailures).toEqual([]);
    expect(await h.store.get(job.jobId)).toEqual(finished);
  });

  it('fails a job at once on a PermanentJobError, keeping code, message and details', async () => {
    const { job, message } = await queuedJob();
    const { response } = await run(withPrompt(message, 'permanent'));
    expect(response.batchItemFailures).toEqual([]);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { code: 'MODEL_OUTPUT_INVALID', message: 'no JSON', details: { raw: 'oops' } },
    });
  });

  it('lets SQS redeliver transient and unexpected failures, noting the reason on the running job', async () => {
    for (const mode of ['throttled', 'retryable', 'bug']) {
      const { job, message } = await queuedJob();
      const { records, response } = await run(withPrompt(message, mode));
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.messageId }]);
      const stored = await h.store.get(job.jobId);
      expect(stored?.status).toBe('RUNNING');
      expect(stored?.lastAttemptError).toBeTruthy();
    }
    // The redelivery of a throttled job succeeds and counts the second attempt.
    const { job, message } = await queuedJob();
    await run(withPrompt(message, 'throttled'));
    await run(JSON.stringify(message));
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('leaves a waiting job RUNNING, and fails a job whose worker returns a malformed result', async () => {
    const waiting = await queuedJob();
    const bad = await queuedJob();
    const { response } = await run(
      withPrompt(waiting.message, 'waiting'),
      withPrompt(bad.message, 'bad-result'),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect((await h.store.get(waiting.job.jobId))?.status).toBe('RUNNING');
    expect(await h.store.get(bad.job.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'INTERNAL_ERROR' },
    });
  });

  it('acknowledges a message whose job no longer exists', async () => {
    const { message } = await queuedJob();
    const orphan = { ...message, jobId: '0d9c8b7a-6f5e-4d3c-8b2a-190817161514' };
    const { response } = await run(JSON.stringify(orphan));
    expect(response.batchItemFailures).toEqual([]);
    expect(await h.store.get(orphan.jobId)).toBeUndefined();
  });

  it('records a retryable DEADLINE_EXCEEDED before the invocation runs out of time', async () => {
    const { job, message } = await queuedJob();
    const record = sqsRecord(withPrompt(message, 'hangs'));
    const live = createSqsJobHandler({ kind: 'writing', worker: scriptedWorker, store: h.store });
    // 5.2 s left and a 5 s margin: the worker is abandoned after 200 ms, with time to record it.
    const context = { ...lambdaContext('writing'), getRemainingTimeInMillis: () => 5_200 };
    const response = await live(sqsEvent([record]), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    const stored = await h.store.get(job.jobId);
    expect(stored).toMatchObject({ status: 'RUNNING', lastAttemptCode: 'DEADLINE_EXCEEDED' });
    // The lease is released, so the redelivery starts at once.
    expect(stored?.leaseOwner).toBeUndefined();
  });
});
