import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { JOB_TTL_DAYS, JobRecordSchema } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotentJobId } from '../../src/jobs/job-id.js';
import {
  IdempotencyConflictError,
  InvalidCursorError,
  InvalidResultError,
} from '../../src/jobs/job-store-errors.js';
import { INLINE_RESULT_MAX_BYTES } from '../../src/jobs/result-storage.js';
import { sampleWritingResult } from '../support/job-results.js';
import {
  type JobStoreHarness,
  startJobStoreHarness,
  TEST_DATA_BUCKET,
} from '../support/job-store-harness.js';

const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc';

let clock = new Date('2026-03-01T10:00:00.000Z');
let h: JobStoreHarness;

beforeAll(async () => {
  h = await startJobStoreHarness(() => clock);
});
afterAll(async () => {
  await h.close();
});

const newJob = (userId: string, extra: { idempotencyKey?: string; requestHash?: string } = {}) =>
  h.store.create({
    userId,
    kind: 'writing',
    principal: PRINCIPAL,
    requestHash: extra.requestHash ?? 'hash-a',
    ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
  });

describe('JobStore on dynalite', () => {
  it('creates a QUEUED job matching the shared JobRecord schema, with a TTL JOB_TTL_DAYS ahead', async () => {
    const { created, job } = await newJob('user-1');
    expect(created).toBe(true);
    const stored = await h.store.get(job.jobId);
    expect(JobRecordSchema.parse(stored)).toMatchObject({ status: 'QUEUED', attempts: 0, userId: 'user-1' });
    expect(stored?.expiresAt).toBe(Math.floor(clock.getTime() / 1000) + JOB_TTL_DAYS * 86_400);
  });

  it('maps an idempotency key to one job per user, and rejects the key with a different request', async () => {
    const first = await newJob('user-2', { idempotencyKey: 'key-0000001' });
    const replay = await newJob('user-2', { idempotencyKey: 'key-0000001' });
    expect(first.created).toBe(true);
    expect(replay).toMatchObject({ created: false, job: { jobId: first.job.jobId } });
    expect(first.job.jobId).toBe(idempotentJobId('user-2', 'key-0000001'));

    const otherUser = await newJob('user-3', { idempotencyKey: 'key-0000001' });
    expect(otherUser.created).toBe(true);
    expect(otherUser.job.jobId).not.toBe(first.job.jobId);

    await expect(
      newJob('user-2', { idempotencyKey: 'key-0000001', requestHash: 'hash-b' }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('lets a replay of the same request re-create a job whose message never reached the queue', async () => {
    const { job } = await newJob('user-4', { idempotencyKey: 'key-enqueue-1' });
    expect(
      await h.store.fail(
        job.jobId,
        { code: 'INTERNAL_ERROR', message: 'could not enqueue' },
        { enqueueFailed: true },
      ),
    ).toBe(true);
    await expect(
      newJob('user-4', { idempotencyKey: 'key-enqueue-1', requestHash: 'other' }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    const retry = await newJob('user-4', { idempotencyKey: 'key-enqueue-1' });
    expect(retry).toMatchObject({ created: true, job: { jobId: job.jobId, status: 'QUEUED' } });
    expect((await h.store.get(job.jobId))?.error).toBeUndefined();
  });

  it('moves QUEUED -> RUNNING counting attempts, then SUCCEEDED; a finished job never moves again', async () => {
    const { job } = await newJob('user-5');
    const first = await h.store.start(job.jobId);
    expect(first).toMatchObject({ outcome: 'started', job: { status: 'RUNNING', attempts: 1 } });
    // A second start while the first run's lease is live is refused; once released it starts again.
    expect(await h.store.start(job.jobId)).toMatchObject({ outcome: 'leased', job: { attempts: 1 } });
    await h.store.noteRetry(job.jobId, 'throttled', {
      owner: first.outcome === 'started' ? first.job.leaseOwner! : '',
    });
    const again = await h.store.start(job.jobId);
    expect(again).toMatchObject({ outcome: 'started', job: { attempts: 2 } });

    const model = { modelId: 'm', usage: { inputTokens: 1, outputTokens: 2 }, latencyMs: 3, calls: 1 };
    expect(await h.store.succeed(job, sampleWritingResult(), model)).toBe(true);
    const done = await h.store.get(job.jobId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', model, result: sampleWritingResult() });
    expect(done?.finishedAt).toBeDefined();

    expect(await h.store.start(job.jobId)).toMatchObject({
      outcome: 'terminal',
      job: { status: 'SUCCEEDED' },
    });
    expect(await h.store.fail(job.jobId, { code: 'RETRIES_EXHAUSTED', message: 'late' })).toBe(false);
    // A different but valid result (the shared schema rejects a taskBand that is not the criteria's).
    expect(
      await h.store.succeed(job, sampleWritingResult({ strengths: ['A later, different result'] })),
    ).toBe(false);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      result: { taskBand: 6.5, strengths: ['A clear overall position'] },
    });
  });

  it('fails a QUEUED or RUNNING job with its error, and reports a missing job', async () => {
    const { job } = await newJob('user-6');
    expect(
      await h.store.fail(job.jobId, { code: 'INVALID_INPUT', message: 'bad', details: { field: 'x' } }),
    ).toBe(true);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'INVALID_INPUT', message: 'bad', details: { field: 'x' } },
    });
    expect(await h.store.start('00000000-0000-4000-8000-000000000000')).toEqual({ outcome: 'missing' });
    expect(
      await h.store.fail('00000000-0000-4000-8000-000000000000', { code: 'INTERNAL_ERROR', message: 'x' }),
    ).toBe(false);
  });

  it('keeps a failure within the shared error schema (long message, huge details)', async () => {
    const { job } = await newJob('user-6b');
    await h.store.fail(job.jobId, {
      code: 'MODEL_OUTPUT_INVALID',
      message: 'm'.repeat(5000),
      details: { raw: 'r'.repeat(40_000) },
    });
    const stored = JobRecordSchema.parse(await h.store.get(job.jobId));
    expect(stored.error?.message).toHaveLength(2000);
    expect(stored.error?.details).toEqual({ truncated: true, originalBytes: expect.any(Number) });
  });

  it('refuses to succeed a job with a result that does not match its kind (and leaves it RUNNING)', async () => {
    const { job } = await newJob('user-7');
    await h.store.start(job.jobId);
    await expect(h.store.succeed(job, { cards: [] })).rejects.toBeInstanceOf(InvalidResultError);
    expect((await h.store.get(job.jobId))?.status).toBe('RUNNING');
  });

  it('stores a result above the item budget in S3 with a pointer, and loads it back', async () => {
    const { job } = await newJob('user-8');
    await h.store.start(job.jobId);
    const big = sampleWritingResult({ strengths: ['x'.repeat(INLINE_RESULT_MAX_BYTES)] });
    expect(await h.store.succeed(job, big)).toBe(true);
    const raw = await h.doc.send(new GetCommand({ TableName: h.table.tableName, Key: { jobId: job.jobId } }));
    expect(raw.Item?.result).toBeUndefined();
    expect(raw.Item?.resultPointer).toBe(`results/${job.jobId}.json`);
    expect(h.s3.get(TEST_DATA_BUCKET, `results/${job.jobId}.json`)).toBeDefined();
    const stored = await h.store.get(job.jobId);
    expect(await h.store.resultOf(stored!)).toEqual(big);
  });

  it("pages through a user's jobs newest first on the by-user index", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock = new Date(Date.UTC(2026, 3, 1, 0, i));
      ids.push((await newJob('user-pages')).job.jobId);
    }
    const first = await h.store.listByUser('user-pages', { limit: 2 });
    expect(first.jobs.map((j) => j.jobId)).toEqual([ids[4], ids[3]]);
    const second = await h.store.listByUser('user-pages', { limit: 2, cursor: first.nextCursor! });
    const third = await h.store.listByUser('user-pages', { limit: 2, cursor: second.nextCursor! });
    expect([...second.jobs, ...third.jobs].map((j) => j.jobId)).toEqual([ids[2], ids[1], ids[0]]);
    await expect(h.store.listByUser('someone-else', { cursor: first.nextCursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(h.store.listByUser('user-pages', { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
