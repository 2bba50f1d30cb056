import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { JobErrorCode } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentTable } from '../../src/clients/document-table.js';
import { JOB_DEADLINES } from '../../src/jobs/job-deadlines.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { IdempotencyConflictError } from '../../src/jobs/job-store-errors.js';
import { ResultStorage } from '../../src/jobs/result-storage.js';
import { sampleWritingResult } from '../support/job-results.js';
import {
  type JobStoreHarness,
  startJobStoreHarness,
  TEST_DATA_BUCKET,
} from '../support/job-store-harness.js';

/*
 * The job store at the edges of its timeline: DynamoDB failing for a reason other than a condition,
 * an item expiring between two calls, a lease at its expiry instant, operator replays of each kind of
 * operational failure, and listings that need more than one query.
 */

const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc';
let clockMs = Date.parse('2026-06-01T08:00:00.000Z');
const now = () => new Date(clockMs);
let h: JobStoreHarness;

beforeAll(async () => {
  h = await startJobStoreHarness(now);
});
afterAll(async () => {
  await h.close();
});

let seq = 0;
const newJob = (userId = `edge-user-${++seq}`, kind: 'writing' | 'speaking' = 'writing') =>
  h.store.create({ userId, kind, principal: PRINCIPAL, requestHash: 'hash-edges' }).then((r) => r.job);
const rawItem = async (jobId: string) =>
  (await h.doc.send(new GetCommand({ TableName: h.table.tableName, Key: { jobId } }))).Item;

/**
 * A store on the same table whose client can fail a command of one type with a service error
 * (throttling, an outage) and run a hook when the table refuses a write's condition.
 */
function storeWith(options: {
  failing?: 'put' | 'update';
  errorName?: string;
  onConditionFailed?: () => void;
}): JobStore {
  const guarded =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (options.failing === operation) {
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: options.errorName ?? 'ProvisionedThroughputExceededException',
        });
      }
      try {
        return await call(...args);
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') options.onConditionFailed?.();
        throw error;
      }
    };
  const real = h.documents;
  const doc = {
    get: guarded('get', real.get.bind(real)),
    put: guarded('put', real.put.bind(real)),
    update: guarded('update', real.update.bind(real)),
    query: guarded('query', real.query.bind(real)),
  } as unknown as DocumentTable;
  return new JobStore(doc, { ...h.table, results: new ResultStorage(h.s3Objects, TEST_DATA_BUCKET), now });
}

describe('a DynamoDB failure is never taken for a lost race', () => {
  it('create, start, resume and the other transitions reject with the service error', async () => {
    const job = await newJob();
    const puts = storeWith({ failing: 'put' });
    const updates = storeWith({ failing: 'update' });
    const throttled = /exceeds the allowed throughput/;
    await expect(
      puts.create({
        userId: 'u-throttled',
        kind: 'writing',
        principal: PRINCIPAL,
        requestHash: 'h',
        idempotencyKey: 'k-1234567',
      }),
    ).rejects.toThrow(throttled);
    await expect(
      puts.create({ userId: 'u-throttled', kind: 'writing', principal: PRINCIPAL, requestHash: 'h' }),
    ).rejects.toThrow(throttled);
    await expect(updates.start(job.jobId)).rejects.toThrow(throttled);
    await expect(updates.resume(job.jobId)).rejects.toThrow(throttled);
    await expect(updates.fail(job.jobId, { code: 'INTERNAL_ERROR', message: 'x' })).rejects.toThrow(
      throttled,
    );
    // Nothing changed: the job is still QUEUED.
    expect((await h.store.get(job.jobId))?.status).toBe('QUEUED');
  });

  it('a refused write without an idempotency key is an error, never read as a replay', async () => {
    const refusing = storeWith({ failing: 'put', errorName: 'ConditionalCheckFailedException' });
    await expect(
      refusing.create({ userId: 'u-refused', kind: 'writing', principal: PRINCIPAL, requestHash: 'h' }),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});

describe('idempotency keys', () => {
  it('a key reused for a different request is a conflict naming the key', async () => {
    const request = {
      userId: 'idem-user',
      kind: 'writing' as const,
      principal: PRINCIPAL,
      idempotencyKey: 'key-conflict-1',
    };
    await h.store.create({ ...request, requestHash: 'first' });
    await expect(h.store.create({ ...request, requestHash: 'second' })).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });

  it('a key whose job expires between the refused write and the read is free: the replay creates a new job', async () => {
    const request = {
      userId: 'idem-ttl',
      kind: 'writing' as const,
      principal: PRINCIPAL,
      requestHash: 'h',
      idempotencyKey: 'key-ttl-0001',
    };
    const first = await h.store.create(request);
    // One second before the TTL the key is still taken; by the time the store reads the job back, it expired.
    clockMs = (first.job.expiresAt - 1) * 1000;
    const racing = storeWith({
      onConditionFailed: () => {
        clockMs = first.job.expiresAt * 1000 + 1000;
      },
    });
    const replay = await racing.create(request);
    expect(replay.created).toBe(true);
    expect(replay.job.jobId).toBe(first.job.jobId);
    expect(replay.job.createdAt).not.toBe(first.job.createdAt);
    clockMs = Date.parse('2026-06-01T08:00:00.000Z');
  });
});

describe('leases and hand-overs', () => {
  it('a lease is held up to and including its expiry instant', async () => {
    const job = await newJob();
    const started = clockMs;
    await h.store.start(job.jobId, { owner: 'run-1', durationMs: 60_000 });
    clockMs = started + 60_000;
    expect((await h.store.start(job.jobId, { owner: 'run-2', durationMs: 60_000 })).outcome).toBe('leased');
    clockMs = started + 60_001;
    expect((await h.store.start(job.jobId, { owner: 'run-2', durationMs: 60_000 })).outcome).toBe('started');
    clockMs = started;
  });

  it('a completion event for a job that is not waiting (still queued) is retried, not taken as a hand-over', async () => {
    const job = await newJob();
    await expect(h.store.resume(job.jobId)).rejects.toThrow(
      `Job ${job.jobId} changed status concurrently (now QUEUED)`,
    );
  });

  it('a completion event for a running job whose lease lapsed (not waiting) is retried too', async () => {
    const job = await newJob();
    const started = clockMs;
    await h.store.start(job.jobId, { owner: 'run-1', durationMs: 1000 });
    clockMs = started + 5000;
    await expect(h.store.resume(job.jobId)).rejects.toThrow(/changed status concurrently \(now RUNNING\)/);
    clockMs = started;
  });

  it('the reason a job waits is bounded (500 characters)', async () => {
    const job = await newJob();
    await h.store.start(job.jobId, { owner: 'run-w', durationMs: 60_000 });
    expect(await h.store.wait(job.jobId, 'run-w', 'w'.repeat(600), 60_000)).toBe(true);
    expect((await rawItem(job.jobId))?.waitingFor).toBe('w'.repeat(500));
  });
});

describe('operator replays (reopen)', () => {
  const failed = async (code: JobErrorCode) => {
    const job = await newJob();
    await h.store.start(job.jobId);
    await h.store.fail(job.jobId, { code, message: 'operational' });
    return job.jobId;
  };

  it('every operational failure can be reopened for a queue replay: QUEUED again, with a fresh queue deadline', async () => {
    for (const code of ['RETRIES_EXHAUSTED', 'TIMED_OUT', 'DEADLINE_EXCEEDED'] as const) {
      const jobId = await failed(code);
      expect(await h.store.reopen(jobId, 'queued')).toBe(true);
      const item = await rawItem(jobId);
      expect(item).toMatchObject({ status: 'QUEUED', deadlineAt: clockMs + JOB_DEADLINES.queueMs });
      expect(item?.waitingFor).toBeUndefined();
      expect(item?.error).toBeUndefined();
    }
  });

  it('a Transcribe replay reopens the job as waiting for the completion event, with the Transcribe deadline', async () => {
    const jobId = await failed('TIMED_OUT');
    expect(await h.store.reopen(jobId, 'waiting')).toBe(true);
    expect(await rawItem(jobId)).toMatchObject({
      status: 'RUNNING',
      waitingFor: 'Replayed Transcribe completion event',
      deadlineAt: clockMs + JOB_DEADLINES.transcribeMs,
    });
  });
});

describe('deadlines', () => {
  it('a new job’s deadline lies one queue deadline ahead, so the sweeper does not take it for overdue', async () => {
    const job = await newJob();
    expect(job.deadlineAt).toBe(clockMs + JOB_DEADLINES.queueMs);
    expect((await h.store.listOverdue()).map((j) => j.jobId)).not.toContain(job.jobId);
  });

  it('the overdue list holds jobs only, at most as many as asked for', async () => {
    const jobs = [await newJob(), await newJob(), await newJob()];
    const saved = clockMs;
    clockMs += JOB_DEADLINES.queueMs + 60_000;
    const overdue = await h.store.listOverdue(2);
    expect(overdue).toHaveLength(2);
    for (const job of overdue)
      expect(job).toMatchObject({
        jobId: expect.any(String),
        status: expect.stringMatching(/^(QUEUED|RUNNING)$/),
      });
    expect((await h.store.listOverdue(1000)).map((j) => j.jobId)).toEqual(
      expect.arrayContaining(jobs.map((j) => j.jobId)),
    );
    clockMs = saved;
  });
});

describe('results and history', () => {
  it('an inline result is served from the item, without asking S3', async () => {
    const job = await newJob();
    await h.store.start(job.jobId);
    const result = sampleWritingResult();
    await h.store.succeed(job, result);
    const stored = await h.store.get(job.jobId);
    expect(stored?.resultPointer).toBeUndefined();
    expect(await h.store.resultOf(stored!)).toEqual(result);
  });

  it('a kind filter returns only that kind, filling the page across queries', async () => {
    const user = 'history-kinds';
    // Newest first: speaking, writing, speaking, speaking.
    for (const kind of ['speaking', 'speaking', 'writing', 'speaking'] as const) {
      clockMs += 1000;
      await newJob(user, kind);
    }
    const page = await h.store.listByUser(user, { kind: 'speaking', limit: 2 });
    expect(page.jobs.map((j) => j.kind)).toEqual(['speaking', 'speaking']);
    expect(page.nextCursor).toBeDefined();
    const rest = await h.store.listByUser(user, { kind: 'speaking', limit: 2, cursor: page.nextCursor! });
    expect(rest.jobs.map((j) => j.kind)).toEqual(['speaking']);
    expect((await h.store.listByUser(user, { kind: 'writing' })).jobs).toHaveLength(1);
  });

  it('a sparse kind stops after five queries with a short page and a cursor to go on', async () => {
    const user = 'history-sparse';
    clockMs += 1000;
    const oldest = await newJob(user, 'speaking');
    for (let i = 0; i < 5; i++) {
      clockMs += 1000;
      await newJob(user, 'writing');
    }
    const first = await h.store.listByUser(user, { kind: 'speaking', limit: 1 });
    expect(first.jobs).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    const next = await h.store.listByUser(user, { kind: 'speaking', limit: 1, cursor: first.nextCursor! });
    expect(next.jobs.map((j) => j.jobId)).toEqual([oldest.jobId]);
  });
});
