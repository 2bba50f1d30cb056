import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { JobRecordSchema, type SpeakingResult, SpeakingResultSchema } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeHistoryCursor } from '../../src/jobs/history-cursor.js';
import { isTerminal } from '../../src/jobs/job-item.js';
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

/*
 * The job store's lifecycle rules, each pinned by the timeline that would break it in production:
 * redelivered and late SQS messages, client retries with an Idempotency-Key, oversized results.
 */

const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc';

let clock = new Date('2026-05-01T08:00:00.000Z');
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
let h: JobStoreHarness;

beforeAll(async () => {
  h = await startJobStoreHarness(() => clock);
});
afterAll(async () => {
  await h.close();
});

const newJob = (userId: string, extra: { idempotencyKey?: string; kind?: 'writing' | 'speaking' } = {}) =>
  h.store.create({
    userId,
    kind: extra.kind ?? 'writing',
    principal: PRINCIPAL,
    requestHash: 'hash-rules',
    ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
  });

const rawItem = async (jobId: string) =>
  (await h.doc.send(new GetCommand({ TableName: h.table.tableName, Key: { jobId } }))).Item;

function sampleSpeakingResult(): SpeakingResult {
  const criterion = { band: 6, feedback: 'Speaks at length with some hesitation.' };
  return SpeakingResultSchema.parse({
    part: 2,
    transcript: 'I would like to talk about a trip to the mountains.',
    features: {
      durationSeconds: 95,
      wordCount: 160,
      wordsPerMinute: 101,
      pauseCount: 4,
      meanPauseSeconds: 0.8,
      fillerCount: 3,
      fillersPer100Words: 1.9,
      meanConfidence: 0.91,
    },
    criteria: {
      fluencyCoherence: criterion,
      lexicalResource: criterion,
      grammaticalRangeAccuracy: criterion,
      pronunciation: { ...criterion, estimated: true },
    },
    band: 6,
    model: {
      modelId: 'google.gemma-3-12b-it',
      inputTokens: 800,
      outputTokens: 300,
      latencyMs: 900,
      calls: 1,
    },
  });
}

describe('terminal states stay terminal', () => {
  it('a redelivered message for a FAILED job is acknowledged as terminal, not retried', async () => {
    const { job } = await newJob('rules-failed-start');
    await h.store.start(job.jobId);
    expect(await h.store.fail(job.jobId, { code: 'INVALID_INPUT', message: 'essay is empty' })).toBe(true);

    const redelivered = await h.store.start(job.jobId);
    expect(redelivered).toMatchObject({ outcome: 'terminal', job: { status: 'FAILED', attempts: 1 } });
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'FAILED', attempts: 1 });
  });

  it('a FAILED job cannot be failed again or succeeded later', async () => {
    const { job } = await newJob('rules-failed-final');
    await h.store.start(job.jobId);
    await h.store.fail(job.jobId, { code: 'INVALID_INPUT', message: 'first reason' });
    expect(await h.store.fail(job.jobId, { code: 'INTERNAL_ERROR', message: 'second reason' })).toBe(false);
    expect(await h.store.succeed(job, sampleWritingResult())).toBe(false);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'INVALID_INPUT', message: 'first reason' },
    });
    expect((await h.store.get(job.jobId))?.result).toBeUndefined();
  });

  it('a job cannot succeed before it was started (QUEUED -> SUCCEEDED is not a transition)', async () => {
    const { job } = await newJob('rules-queued-succeed');
    expect(await h.store.succeed(job, sampleWritingResult())).toBe(false);
    expect((await h.store.get(job.jobId))?.status).toBe('QUEUED');
  });
});

describe('idempotent replay only re-creates a job that never reached the queue', () => {
  it('a replay after the job FAILED while running returns that failed job, not a fresh one', async () => {
    const first = await newJob('rules-replay', { idempotencyKey: 'rules-key-1' });
    await h.store.start(first.job.jobId);
    await h.store.fail(first.job.jobId, { code: 'INVALID_INPUT', message: 'unreadable document' });

    const replay = await newJob('rules-replay', { idempotencyKey: 'rules-key-1' });
    expect(replay).toMatchObject({ created: false, job: { jobId: first.job.jobId, status: 'FAILED' } });
    expect(await h.store.get(first.job.jobId)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { message: 'unreadable document' },
    });
  });

  it('a replay of a job that is still queued or running returns it unchanged', async () => {
    const first = await newJob('rules-replay-2', { idempotencyKey: 'rules-key-2' });
    await h.store.start(first.job.jobId);
    const replay = await newJob('rules-replay-2', { idempotencyKey: 'rules-key-2' });
    expect(replay).toMatchObject({ created: false, job: { status: 'RUNNING', attempts: 1 } });
  });
});

describe('retry notes', () => {
  it('a note on a running job records why the attempt failed', async () => {
    const { job } = await newJob('rules-note-running');
    await h.store.start(job.jobId);
    advance(1);
    await h.store.noteRetry(job.jobId, 'Bedrock throttled');
    expect(await h.store.get(job.jobId)).toMatchObject({
      lastAttemptError: 'Bedrock throttled',
      updatedAt: clock.toISOString(),
    });
  });

  it('a late retry note never changes a finished job', async () => {
    const { job } = await newJob('rules-note-late');
    await h.store.start(job.jobId);
    await h.store.succeed(job, sampleWritingResult());
    const finished = await h.store.get(job.jobId);
    advance(5);
    await h.store.noteRetry(job.jobId, 'timed out talking to Bedrock');
    expect(await h.store.get(job.jobId)).toEqual(finished);
  });

  it('a retry note is bounded so a huge error text cannot grow the item', async () => {
    const { job } = await newJob('rules-note-bounded');
    await h.store.start(job.jobId);
    await h.store.noteRetry(job.jobId, 'e'.repeat(50_000));
    expect((await h.store.get(job.jobId))?.lastAttemptError).toHaveLength(1000);
  });
});

describe('redelivery keeps the first start time', () => {
  it('startedAt is the first attempt; attempts and updatedAt follow each redelivery', async () => {
    const { job } = await newJob('rules-started-at');
    advance(1);
    const firstStart = clock.toISOString();
    await h.store.start(job.jobId);
    // The first attempt's Lambda died; long after any visibility timeout or lease, SQS delivers again.
    advance(60);
    const second = await h.store.start(job.jobId);
    expect(second).toMatchObject({
      outcome: 'started',
      job: { startedAt: firstStart, attempts: 2, updatedAt: clock.toISOString() },
    });
    expect((await h.store.get(job.jobId))?.startedAt).toBe(firstStart);
  });
});

describe('listing a user’s jobs', () => {
  const user = 'rules-page-size';
  beforeAll(async () => {
    for (let i = 0; i < 105; i += 1) {
      advance(1);
      await newJob(user);
    }
  });

  it('a page holds at most 100 jobs, whatever the caller asks for', async () => {
    const page = await h.store.listByUser(user, { limit: 10_000 });
    expect(page.jobs).toHaveLength(100);
    expect(page.nextCursor).toBeDefined();
  });

  it('a page holds at least one job, and 20 when no size is asked for', async () => {
    expect((await h.store.listByUser(user, { limit: 0 })).jobs).toHaveLength(1);
    expect((await h.store.listByUser(user, { limit: -5 })).jobs).toHaveLength(1);
    expect((await h.store.listByUser(user)).jobs).toHaveLength(20);
  });

  it('the last page has no cursor', async () => {
    const first = await h.store.listByUser(user, { limit: 100 });
    const last = await h.store.listByUser(user, { limit: 100, cursor: first.nextCursor! });
    expect(last.jobs).toHaveLength(5);
    expect(last.nextCursor).toBeUndefined();
  });
});

describe('results', () => {
  it('the inline-result limit is measured in UTF-8 bytes: a result under the limit in characters but over it in bytes goes to S3', async () => {
    const { job } = await newJob('rules-bytes');
    await h.store.start(job.jobId);
    // 'ệ' is one character and three bytes: about 0.4 of the limit in characters, 1.2 in bytes.
    const vietnamese = 'ệ'.repeat(Math.floor(INLINE_RESULT_MAX_BYTES * 0.4));
    const result = sampleWritingResult({ strengths: [vietnamese] });
    expect(JSON.stringify(result).length).toBeLessThan(INLINE_RESULT_MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(result), 'utf8')).toBeGreaterThan(INLINE_RESULT_MAX_BYTES);

    expect(await h.store.succeed(job, result)).toBe(true);
    const item = await rawItem(job.jobId);
    expect(item?.result).toBeUndefined();
    expect(item?.resultPointer).toBe(`results/${job.jobId}.json`);
    expect(await h.store.resultOf((await h.store.get(job.jobId))!)).toEqual(result);
  });

  it('a result of exactly the limit is still stored inline; one byte more goes to S3', async () => {
    const base = sampleWritingResult({ strengths: [''] });
    const padding = INLINE_RESULT_MAX_BYTES - Buffer.byteLength(JSON.stringify(base), 'utf8');
    const atLimit = sampleWritingResult({ strengths: ['a'.repeat(padding)] });
    const overLimit = sampleWritingResult({ strengths: ['a'.repeat(padding + 1)] });
    expect(Buffer.byteLength(JSON.stringify(atLimit), 'utf8')).toBe(INLINE_RESULT_MAX_BYTES);

    const inline = await newJob('rules-limit-inline');
    await h.store.start(inline.job.jobId);
    await h.store.succeed(inline.job, atLimit);
    expect((await rawItem(inline.job.jobId))?.resultPointer).toBeUndefined();
    expect((await rawItem(inline.job.jobId))?.result).toEqual(atLimit);

    const external = await newJob('rules-limit-external');
    await h.store.start(external.job.jobId);
    await h.store.succeed(external.job, overLimit);
    expect((await rawItem(external.job.jobId))?.resultPointer).toBe(`results/${external.job.jobId}.json`);
  });

  it('a writing job refuses a speaking result, even though it is a valid result of another kind', async () => {
    const { job } = await newJob('rules-kind');
    await h.store.start(job.jobId);
    await expect(h.store.succeed(job, sampleSpeakingResult())).rejects.toBeInstanceOf(InvalidResultError);
    await expect(h.store.succeed(job, sampleSpeakingResult())).rejects.toThrow(
      /The writing worker produced a result that does not match its schema/,
    );
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'RUNNING' });
    expect((await h.store.get(job.jobId))?.result).toBeUndefined();
  });

  it('with only a job id, any kind’s valid result is accepted and a result of no kind is refused', async () => {
    const { job } = await newJob('rules-id-only', { kind: 'speaking' });
    await h.store.start(job.jobId);
    await expect(h.store.succeed(job.jobId, { notAResult: true })).rejects.toThrow(
      /The job worker produced a result that does not match its schema/,
    );
    expect(await h.store.succeed(job.jobId, sampleSpeakingResult())).toBe(true);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'SUCCEEDED',
      result: sampleSpeakingResult(),
    });
  });

  it('a success records when the job finished and without model metadata stores none', async () => {
    const { job } = await newJob('rules-finished-at');
    await h.store.start(job.jobId);
    advance(2);
    await h.store.succeed(job, sampleWritingResult());
    const item = await rawItem(job.jobId);
    expect(item).toMatchObject({
      status: 'SUCCEEDED',
      finishedAt: clock.toISOString(),
      updatedAt: clock.toISOString(),
    });
    expect(item?.model).toBeUndefined();
  });
});

describe('failures are stored in a shape the status API can serve', () => {
  it('an empty error message never lands in the table (the record would fail its own schema on read)', async () => {
    const { job } = await newJob('rules-empty-message');
    await h.store.start(job.jobId);
    await h.store.fail(job.jobId, { code: 'INTERNAL_ERROR', message: '' }).catch(() => false);
    const stored = await h.store.get(job.jobId);
    expect(JobRecordSchema.safeParse(stored).success).toBe(true);
    expect(stored?.error?.message ?? 'not stored').not.toBe('');
  });

  it('a message of exactly the limit is kept whole; a longer one is cut to the limit with an ellipsis', async () => {
    const exact = await newJob('rules-message-exact');
    await h.store.fail(exact.job.jobId, { code: 'INTERNAL_ERROR', message: 'm'.repeat(2000) });
    expect((await h.store.get(exact.job.jobId))?.error?.message).toBe('m'.repeat(2000));

    const long = await newJob('rules-message-long');
    await h.store.fail(long.job.jobId, { code: 'INTERNAL_ERROR', message: 'm'.repeat(2001) });
    expect((await h.store.get(long.job.jobId))?.error?.message).toBe(`${'m'.repeat(1999)}…`);
  });

  it('details within 16 KiB are kept as they are; larger ones are replaced by their size', async () => {
    const small = await newJob('rules-details-small');
    const details = { raw: 'r'.repeat(16 * 1024 - 18) };
    expect(Buffer.byteLength(JSON.stringify(details))).toBe(16 * 1024 - 8);
    await h.store.fail(small.job.jobId, { code: 'MODEL_OUTPUT_INVALID', message: 'bad JSON', details });
    expect((await h.store.get(small.job.jobId))?.error?.details).toEqual(details);

    const exact = await newJob('rules-details-exact');
    const exactDetails = { raw: 'r'.repeat(16 * 1024 - 10) };
    expect(Buffer.byteLength(JSON.stringify(exactDetails))).toBe(16 * 1024);
    await h.store.fail(exact.job.jobId, {
      code: 'MODEL_OUTPUT_INVALID',
      message: 'bad',
      details: exactDetails,
    });
    expect((await h.store.get(exact.job.jobId))?.error?.details).toEqual(exactDetails);

    const big = await newJob('rules-details-big');
    const bigDetails = { raw: 'r'.repeat(16 * 1024 - 9) };
    await h.store.fail(big.job.jobId, { code: 'MODEL_OUTPUT_INVALID', message: 'bad', details: bigDetails });
    expect((await h.store.get(big.job.jobId))?.error?.details).toEqual({
      truncated: true,
      originalBytes: 16 * 1024 + 1,
    });
    expect((await h.store.get(big.job.jobId))?.error?.message).toBe('bad');
  });

  it('a failure records when the job finished; one that never reached the queue is marked so', async () => {
    const { job } = await newJob('rules-fail-fields');
    advance(3);
    await h.store.fail(job.jobId, { code: 'INTERNAL_ERROR', message: 'queue down' }, { enqueueFailed: true });
    expect(await rawItem(job.jobId)).toMatchObject({
      status: 'FAILED',
      finishedAt: clock.toISOString(),
      enqueueFailed: true,
    });
    const ordinary = await newJob('rules-fail-ordinary');
    await h.store.fail(ordinary.job.jobId, { code: 'INTERNAL_ERROR', message: 'boom' });
    expect((await rawItem(ordinary.job.jobId))?.enqueueFailed).toBeUndefined();
  });
});

describe('pagination cursors are accepted only as the store issued them', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const user = 'rules-cursor';
  const position = {
    jobId: '00000000-0000-4000-8000-000000000001',
    userId: user,
    createdAt: '2026-05-01T08:00:00.000Z',
  };
  const issued = { v: 1, k: null, u: user, j: position.jobId, c: position.createdAt };
  const list = (cursor: string, kind?: 'writing') =>
    h.store.listByUser(user, { cursor, ...(kind ? { kind } : {}) });

  it('a cursor the store issued for this learner and filter is accepted', async () => {
    await expect(list(encodeHistoryCursor(position, { userId: user }))).resolves.toMatchObject({ jobs: [] });
    await expect(list(cursorOf(issued))).resolves.toMatchObject({ jobs: [] });
  });

  it('anything that is not a cursor of this version is refused as such', async () => {
    for (const cursor of ['%%%', cursorOf(null), cursorOf([issued]), cursorOf('text'), cursorOf(42)]) {
      await expect(list(cursor)).rejects.toThrow(
        'Invalid pagination cursor: not a cursor returned by this API',
      );
    }
    for (const value of [
      { ...issued, v: 2 },
      { ...issued, status: 'QUEUED' },
    ]) {
      await expect(list(cursorOf(value))).rejects.toThrow(
        'Invalid pagination cursor: not a cursor returned by this API',
      );
    }
  });

  it('a cursor issued for another learner or another kind filter is refused (it would page elsewhere)', async () => {
    await expect(list(cursorOf({ ...issued, u: 'someone-else' }))).rejects.toThrow(
      'Invalid pagination cursor: issued for another user',
    );
    await expect(list(cursorOf(issued), 'writing')).rejects.toThrow(
      'Invalid pagination cursor: issued for another kind filter',
    );
  });

  it('a cursor whose position is not a job id and a timestamp is refused', async () => {
    for (const value of [
      { ...issued, j: 'not-a-job-id' },
      { ...issued, c: 1 },
    ]) {
      await expect(list(cursorOf(value))).rejects.toThrow(
        'Invalid pagination cursor: its position is malformed',
      );
    }
  });
});

describe('how the store talks to DynamoDB and S3', () => {
  it('job reads are strongly consistent, so a status answer never lags behind a transition', async () => {
    const { job } = await newJob('rules-consistent');
    const send = vi.spyOn(h.documents.client, 'send');
    let sent: unknown[][];
    try {
      await h.store.get(job.jobId);
      sent = [...send.mock.calls];
    } finally {
      send.mockRestore();
    }
    expect(sent).toContainEqual([
      'GetItem',
      expect.objectContaining({ Key: { jobId: { S: job.jobId } }, ConsistentRead: true }),
    ]);
  });

  it('an oversized result is stored as a JSON object under results/<jobId>.json', async () => {
    const { job } = await newJob('rules-s3-object');
    await h.store.start(job.jobId);
    const big = sampleWritingResult({ strengths: ['x'.repeat(INLINE_RESULT_MAX_BYTES)] });
    await h.store.succeed(job, big);
    const object = h.s3.get(TEST_DATA_BUCKET, `results/${job.jobId}.json`);
    expect(object?.contentType).toBe('application/json');
    expect(JSON.parse(object!.body.toString('utf8'))).toEqual(big);
  });
});

describe('job store errors tell the caller what to do', () => {
  it('an idempotency conflict names the key and the job it already belongs to', () => {
    const error = new IdempotencyConflictError('key-1234567', 'job-1');
    expect(error.name).toBe('IdempotencyConflictError');
    expect(error.message).toBe(
      'Idempotency-Key "key-1234567" was already used for a different request (job job-1); use a new key for a new request',
    );
  });

  it('an invalid cursor is named as such', () => {
    expect(new InvalidCursorError('not an object')).toMatchObject({
      name: 'InvalidCursorError',
      message: 'Invalid pagination cursor: not an object',
    });
  });

  it('an invalid result names the kind and lists the first five problems as path: message', () => {
    const problems = Array.from({ length: 7 }, (_, i) => ({ path: `criteria.c${i}`, message: `bad ${i}` }));
    const error = new InvalidResultError('writing', problems);
    expect(error.name).toBe('InvalidResultError');
    expect(error.message).toBe(
      'The writing worker produced a result that does not match its schema: criteria.c0: bad 0; criteria.c1: bad 1; criteria.c2: bad 2; criteria.c3: bad 3; criteria.c4: bad 4',
    );
  });
});

describe('terminal statuses', () => {
  it('SUCCEEDED and FAILED are terminal; QUEUED and RUNNING are not', () => {
    expect(isTerminal('SUCCEEDED')).toBe(true);
    expect(isTerminal('FAILED')).toBe(true);
    expect(isTerminal('QUEUED')).toBe(false);
    expect(isTerminal('RUNNING')).toBe(false);
  });
});
