import { JobHistoryResponseSchema } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryRoute } from '../../src/api/job-history.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { encodeHistoryCursor } from '../../src/jobs/history-cursor.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { sampleSpeakingPartResult, sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

const USER = 'learner-history';
let h: JobStoreHarness;
let clock = new Date('2026-03-01T00:00:00.000Z');
let list: (query: Record<string, string>) => Promise<APIGatewayProxyResult>;
/** Job ids of USER, oldest first, with their kinds. */
const jobs: { jobId: string; kind: 'writing' | 'speaking' | 'flashcards' }[] = [];

beforeAll(async () => {
  h = await startJobStoreHarness(() => clock);
  const route = apiHandler(logger, createHistoryRoute({ store: h.store, now: () => clock }));
  list = (query) => route(apiEvent({ method: 'GET', resource: '/v1/jobs', query }), lambdaContext('history'));
  // 12 jobs a minute apart: writing, speaking, flashcards, writing, ...; one of another learner.
  const kinds = ['writing', 'speaking', 'flashcards'] as const;
  for (let i = 0; i < 12; i++) {
    clock = new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 60_000);
    const kind = kinds[i % 3]!;
    const { job } = await h.store.create({
      userId: USER,
      kind,
      principal: BACKEND_ROLE_ARN,
      requestHash: 'h',
    });
    jobs.push({ jobId: job.jobId, kind });
  }
  await h.store.create({
    userId: 'someone-else',
    kind: 'writing',
    principal: BACKEND_ROLE_ARN,
    requestHash: 'h',
  });
  // The newest writing job succeeded; the newest speaking job succeeded; the oldest writing job failed.
  const newestWriting = jobs[9]!.jobId;
  await h.store.start(newestWriting);
  await h.store.succeed({ jobId: newestWriting, kind: 'writing' }, sampleWritingResult());
  const newestSpeaking = jobs[10]!.jobId;
  await h.store.start(newestSpeaking);
  await h.store.succeed(
    { jobId: newestSpeaking, kind: 'speaking' },
    sampleSpeakingPartResult(2, [7, 6.5, 6.5, 6]),
  );
  await h.store.fail(jobs[0]!.jobId, {
    code: 'MODEL_OUTPUT_INVALID',
    message: 'Bad answer',
    details: { raw: 'x' },
  });
});
afterAll(async () => {
  await h.close();
});

const page = (r: APIGatewayProxyResult) => {
  expect(r.statusCode, r.body).toBe(200);
  return JobHistoryResponseSchema.parse(JSON.parse(r.body));
};
const newestFirst = (kind?: string) =>
  jobs
    .filter((j) => !kind || j.kind === kind)
    .map((j) => j.jobId)
    .reverse();

describe('GET /v1/jobs: history', () => {
  it("lists only the learner's jobs, newest first, with summaries (band, error code)", async () => {
    const all = page(await list({ userId: USER, limit: '100' }));
    expect(all.jobs.map((j) => j.jobId)).toEqual(newestFirst());
    expect(all.nextCursor).toBeUndefined();
    const byId = new Map(all.jobs.map((j) => [j.jobId, j]));
    expect(byId.get(jobs[9]!.jobId)).toMatchObject({ kind: 'writing', status: 'SUCCEEDED', band: 6.5 });
    expect(byId.get(jobs[10]!.jobId)).toMatchObject({ kind: 'speaking', status: 'SUCCEEDED', band: 6.5 });
    // Failure reason without the diagnostic details.
    expect(byId.get(jobs[0]!.jobId)?.error).toEqual({ code: 'MODEL_OUTPUT_INVALID', message: 'Bad answer' });
    expect(byId.get(jobs[11]!.jobId)).not.toHaveProperty('band');
  });

  it('pages with an opaque cursor until the last page, and the pages add up to the whole list', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = page(await list({ userId: USER, limit: '5', ...(cursor ? { cursor } : {}) }));
      expect(p.jobs.length).toBeLessThanOrEqual(5);
      seen.push(...p.jobs.map((j) => j.jobId));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(newestFirst());
    expect(pages).toBe(3);
  });

  it('filters by kind across index pages and keeps paging within the kind', async () => {
    const first = page(await list({ userId: USER, kind: 'speaking', limit: '3' }));
    expect(first.jobs.map((j) => j.jobId)).toEqual(newestFirst('speaking').slice(0, 3));
    expect(first.jobs.every((j) => j.kind === 'speaking')).toBe(true);
    const second = page(
      await list({ userId: USER, kind: 'speaking', limit: '3', cursor: first.nextCursor! }),
    );
    expect(second.jobs.map((j) => j.jobId)).toEqual(newestFirst('speaking').slice(3));
    const rest = second.nextCursor
      ? page(await list({ userId: USER, kind: 'speaking', cursor: second.nextCursor })).jobs
      : [];
    expect(rest).toEqual([]);
  });

  it('refuses a cursor of another learner, of another kind filter, or forged (400 INVALID_CURSOR)', async () => {
    const first = page(await list({ userId: USER, limit: '2' }));
    const otherUser = await list({ userId: 'someone-else', cursor: first.nextCursor! });
    expect(otherUser.statusCode).toBe(400);
    expect(JSON.parse(otherUser.body)).toMatchObject({
      code: 'INVALID_CURSOR',
      errors: [{ path: 'query.cursor', message: 'Invalid pagination cursor: issued for another user' }],
    });
    const otherKind = await list({ userId: USER, kind: 'writing', cursor: first.nextCursor! });
    expect(JSON.parse(otherKind.body).errors[0].message).toContain('another kind filter');
    const forged = encodeHistoryCursor(
      { jobId: 'not-a-uuid', userId: USER, createdAt: '2026-03-01T00:00:00.000Z' },
      { userId: USER },
    );
    expect((await list({ userId: USER, cursor: forged })).statusCode).toBe(400);
    expect((await list({ userId: USER, cursor: 'bm90LWpzb24' })).statusCode).toBe(400);
  });

  it('400 lists every bad query parameter', async () => {
    const answer = await list({ kind: 'reading', limit: '101', cursor: 'has spaces', page: '2' });
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).errors.map((e: { path: string }) => e.path)).toEqual([
      'query.userId',
      'query.kind',
      'query.limit',
      'query.cursor',
      'query.page',
    ]);
    expect((await list({ userId: USER, limit: '0' })).statusCode).toBe(400);
  });

  it('an empty history is an empty list', async () => {
    expect(page(await list({ userId: 'nobody-yet' }))).toEqual({ jobs: [] });
  });
});
