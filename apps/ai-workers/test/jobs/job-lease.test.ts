import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_DEADLINES } from '../../src/jobs/job-deadlines.js';
import { sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

/**
 * Leases, deadlines and expiry of the job store on dynalite, on a controlled clock: what happens to
 * a job over time when runs overlap, die, hand over or never come.
 */
const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc';
const T0 = Date.parse('2026-05-01T08:00:00.000Z');
let clockMs = T0;
let h: JobStoreHarness;

beforeAll(async () => {
  h = await startJobStoreHarness(() => new Date(clockMs));
});
afterAll(async () => {
  await h.close();
});

const newJob = async (userId = 'lease-user', idempotencyKey?: string) =>
  (
    await h.store.create({
      userId,
      kind: 'writing',
      principal: PRINCIPAL,
      requestHash: 'h',
      ...(idempotencyKey ? { idempotencyKey } : {}),
    })
  ).job;

describe('job leases', () => {
  it('lets one run hold a job: a concurrent start is refused until the lease lapses', async () => {
    clockMs = T0;
    const job = await newJob();
    const [a, b] = await Promise.all([
      h.store.start(job.jobId, { owner: 'run-a', durationMs: 60_000 }),
      h.store.start(job.jobId, { owner: 'run-b', durationMs: 60_000 }),
    ]);
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toEqual(['leased', 'started']);
    const winner = a.outcome === 'started' ? 'run-a' : 'run-b';
    const loser = winner === 'run-a' ? 'run-b' : 'run-a';

    // The loser cannot finish or fail the job; the winner can.
    expect(await h.store.succeed(job, sampleWritingResult(), undefined, loser)).toBe(false);
    expect(await h.store.fail(job.jobId, { code: 'INTERNAL_ERROR', message: 'x' }, { owner: loser })).toBe(
      false,
    );

    // The winner's invocation is killed: once its lease lapses, a redelivery takes the job over.
    clockMs = T0 + 60_001;
    const takeover = await h.store.start(job.jobId, { owner: 'run-c', durationMs: 60_000 });
    expect(takeover).toMatchObject({ outcome: 'started', job: { attempts: 2, leaseOwner: 'run-c' } });
    expect(await h.store.succeed(job, sampleWritingResult(), undefined, winner)).toBe(false);
    expect(await h.store.succeed(job, sampleWritingResult(), undefined, 'run-c')).toBe(true);
    const done = await h.store.get(job.jobId);
    expect(done).toMatchObject({ status: 'SUCCEEDED' });
    // Finished jobs leave the lease and the sweeper's index.
    expect(done?.leaseOwner).toBeUndefined();
    expect(done?.sweepShard).toBeUndefined();
  });

  it('releases the lease when a run notes a retryable failure, so the redelivery starts at once', async () => {
    clockMs = T0;
    const job = await newJob();
    await h.store.start(job.jobId, { owner: 'run-1', durationMs: 600_000 });
    await h.store.noteRetry(job.jobId, 'model busy', { owner: 'run-1', code: 'DEADLINE_EXCEEDED' });
    const stored = await h.store.get(job.jobId);
    expect(stored).toMatchObject({ lastAttemptError: 'model busy', lastAttemptCode: 'DEADLINE_EXCEEDED' });
    expect(stored?.leaseOwner).toBeUndefined();
    expect(await h.store.start(job.jobId, { owner: 'run-2', durationMs: 600_000 })).toMatchObject({
      outcome: 'started',
    });
  });

  it('hands a job over (waiting), which its own redelivery leaves alone and the other function resumes once', async () => {
    clockMs = T0;
    const job = await newJob();
    await h.store.start(job.jobId, { owner: 'speak-1', durationMs: 60_000 });
    expect(await h.store.wait(job.jobId, 'someone-else', 'transcribing', 3_600_000)).toBe(false);
    expect(await h.store.wait(job.jobId, 'speak-1', 'transcribing', 3_600_000)).toBe(true);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'RUNNING',
      waitingFor: 'transcribing',
      deadlineAt: T0 + 3_600_000,
    });
    expect(await h.store.start(job.jobId, { owner: 'speak-2', durationMs: 60_000 })).toMatchObject({
      outcome: 'waiting',
    });
    const [x, y] = await Promise.all([
      h.store.resume(job.jobId, { owner: 'fin-1', durationMs: 60_000 }),
      h.store.resume(job.jobId, { owner: 'fin-2', durationMs: 60_000 }),
    ]);
    expect([x.outcome, y.outcome].sort()).toEqual(['leased', 'started']);
  });

  it('lets a re-send be claimed once per interval, and only for a QUEUED job that never started', async () => {
    clockMs = T0;
    const job = await newJob();
    expect(await h.store.claimResend(job.jobId, 60_000)).toBe(false);
    clockMs = T0 + 61_000;
    const claims = await Promise.all([
      h.store.claimResend(job.jobId, 60_000),
      h.store.claimResend(job.jobId, 60_000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await h.store.claimResend(job.jobId, 60_000)).toBe(false);
    clockMs = T0 + 200_000;
    await h.store.start(job.jobId);
    expect(await h.store.claimResend(job.jobId, 60_000)).toBe(false);
    expect((await h.store.get(job.jobId))?.status).toBe('RUNNING');
  });
});

describe('job deadlines', () => {
  it('lists unfinished jobs past their deadline and fails them only while still overdue and unleased', async () => {
    clockMs = T0 - 10 * JOB_DEADLINES.queueMs; // older than anything else in this table
    const lost = await newJob('deadline-user');
    const running = await newJob('deadline-user');
    const finished = await newJob('deadline-user');
    clockMs = T0 - 10 * JOB_DEADLINES.queueMs + JOB_DEADLINES.queueMs - 1000;
    await h.store.start(running.jobId, { owner: 'live', durationMs: 10 * JOB_DEADLINES.queueMs });
    await h.store.fail(finished.jobId, { code: 'INVALID_INPUT', message: 'bad' });

    clockMs = T0 - 10 * JOB_DEADLINES.queueMs + JOB_DEADLINES.queueMs + 1;
    const overdue = (await h.store.listOverdue()).map((j) => j.jobId);
    expect(overdue).toContain(lost.jobId);
    expect(overdue).not.toContain(finished.jobId);
    // `running` restarted its deadline when it started, so it is not overdue yet.
    expect(overdue).not.toContain(running.jobId);

    expect(await h.store.failOverdue(lost.jobId, { code: 'TIMED_OUT', message: 'lost' })).toBe(true);
    expect(await h.store.get(lost.jobId)).toMatchObject({ status: 'FAILED', error: { code: 'TIMED_OUT' } });
    expect(await h.store.failOverdue(lost.jobId, { code: 'TIMED_OUT', message: 'again' })).toBe(false);

    // Past its deadline but held by a live run: left alone.
    clockMs += 2 * JOB_DEADLINES.queueMs;
    expect((await h.store.listOverdue()).map((j) => j.jobId)).toContain(running.jobId);
    expect(await h.store.failOverdue(running.jobId, { code: 'TIMED_OUT', message: 'x' })).toBe(false);
    expect(await h.store.extendDeadline(running.jobId, 60_000)).toBe(true);
    expect((await h.store.listOverdue()).map((j) => j.jobId)).not.toContain(running.jobId);
  });

  it('reopens an operationally failed job for a replay, and nothing else', async () => {
    clockMs = T0;
    const exhausted = await newJob();
    const invalid = await newJob();
    await h.store.fail(exhausted.jobId, { code: 'RETRIES_EXHAUSTED', message: 'x' });
    await h.store.fail(invalid.jobId, { code: 'INVALID_INPUT', message: 'x' });
    expect(await h.store.reopen(invalid.jobId, 'queued')).toBe(false);
    expect(await h.store.reopen(exhausted.jobId, 'waiting')).toBe(true);
    const reopened = await h.store.get(exhausted.jobId);
    expect(reopened).toMatchObject({ status: 'RUNNING', sweepShard: 'ACTIVE' });
    expect(reopened?.error).toBeUndefined();
    expect(reopened?.waitingFor).toBeDefined();
  });
});

describe('expired jobs', () => {
  it('are not served, listed or started once past their TTL, and an idempotency key is free again', async () => {
    clockMs = T0;
    const job = await newJob('ttl-user', 'ttl-key-0001');
    const ttlMs = (job.expiresAt - Math.floor(T0 / 1000)) * 1000;
    clockMs = T0 + ttlMs - 1000;
    expect(await h.store.get(job.jobId)).toBeDefined();
    expect((await h.store.listByUser('ttl-user')).jobs).toHaveLength(1);

    clockMs = T0 + ttlMs; // DynamoDB has not deleted the item yet, but it has expired
    expect(await h.store.get(job.jobId)).toBeUndefined();
    expect((await h.store.listByUser('ttl-user')).jobs).toHaveLength(0);
    expect(await h.store.start(job.jobId)).toEqual({ outcome: 'missing' });
    const again = await h.store.create({
      userId: 'ttl-user',
      kind: 'writing',
      principal: PRINCIPAL,
      requestHash: 'another request',
      idempotencyKey: 'ttl-key-0001',
    });
    expect(again).toMatchObject({ created: true, job: { jobId: job.jobId, status: 'QUEUED' } });
  });
});
