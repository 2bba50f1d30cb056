import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionLimits } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSubmitRoute } from '../../src/api/submit-job.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { DailySubmissionCounter } from '../../src/limits/daily-submission-counter.js';
import { logger } from '../../src/runtime/observability.js';
import { createSubmissionCountersTable } from '../support/dynalite.js';
import { apiEvent, lambdaContext } from '../support/events.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';

const LIMITS: SubmissionLimits = {
  utcOffsetMinutes: 420,
  tiers: {
    free: { writing: 2, speaking: 3, flashcards: 1 },
    premium: { writing: 4, speaking: 9, flashcards: 5 },
  },
};

let h: PlatformHarness;
let clock = new Date('2026-03-01T16:00:00.000Z'); // 23:00 in Vietnam
let submit: (body: unknown, headers?: Record<string, string>) => Promise<APIGatewayProxyResult>;
let countersTable: string;
let user = 0;
let learner = '';

beforeAll(async () => {
  h = await startPlatformHarness(() => clock);
  countersTable = await createSubmissionCountersTable(h.dynamo.client);
  const route = apiHandler(
    logger,
    createSubmitRoute(
      h.submitDeps({
        limits: new DailySubmissionCounter(h.documents, {
          tableName: countersTable,
          limits: LIMITS,
          now: () => clock,
        }),
      }),
    ),
  );
  submit = (body, headers = {}) =>
    route(apiEvent({ resource: '/v1/writing/assessments', body, headers }), lambdaContext('submit'));
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  clock = new Date('2026-03-01T16:00:00.000Z');
  h.sqs.sendFailure = undefined;
  user += 1;
  learner = `limited-${user}`;
});

const writing = (overrides: Record<string, unknown> = {}) => ({
  userId: learner,
  taskType: 'task2',
  prompt: 'Some people think university should be free. Discuss both views.',
  essay: 'Education is a public good, and in my view society benefits when more people study. '.repeat(4),
  ...overrides,
});
const usedToday = async () =>
  (
    await h.doc.send(
      new GetCommand({ TableName: countersTable, Key: { counterId: `${learner}#writing#2026-03-01` } }),
    )
  ).Item?.used;

describe('submit: per-learner daily limits', () => {
  it('answers 429 DAILY_LIMIT_REACHED with Retry-After until the learner midnight, queues nothing', async () => {
    expect((await submit(writing())).statusCode).toBe(202);
    expect((await submit(writing())).statusCode).toBe(202);
    const sentBefore = h.sqs.sent.length;
    const refused = await submit(writing());
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.['Retry-After']).toBe('3600'); // 23:00 -> 00:00 in Vietnam
    expect(JSON.parse(refused.body)).toEqual({
      message: expect.stringContaining('Daily limit of 2 writing submission(s) for the free tier reached'),
      code: 'DAILY_LIMIT_REACHED',
    });
    expect(h.sqs.sent).toHaveLength(sentBefore);

    clock = new Date('2026-03-01T17:00:01.000Z'); // the next Vietnamese day
    expect((await submit(writing())).statusCode).toBe(202);
  });

  it('applies the tier the backend asserts', async () => {
    for (let i = 0; i < 4; i++)
      expect((await submit(writing({ learnerTier: 'premium' }))).statusCode).toBe(202);
    expect((await submit(writing({ learnerTier: 'premium' }))).statusCode).toBe(429);
  });

  it('does not count idempotent replays, and answers them even at the limit', async () => {
    const first = await submit(writing(), { 'Idempotency-Key': 'attempt-0001' });
    expect(first.statusCode).toBe(202);
    const replay = await submit(writing(), { 'Idempotency-Key': 'attempt-0001' });
    expect(replay.statusCode).toBe(202);
    expect(replay.headers?.['Idempotent-Replayed']).toBe('true');
    expect(await usedToday()).toBe(1);
    expect((await submit(writing())).statusCode).toBe(202);
    // At the limit now: a new submission is refused, the replay is still answered with its job.
    expect((await submit(writing())).statusCode).toBe(429);
    const lateReplay = await submit(writing(), { 'Idempotency-Key': 'attempt-0001' });
    expect(lateReplay.statusCode).toBe(202);
    expect(JSON.parse(lateReplay.body).jobId).toBe(JSON.parse(first.body).jobId);
  });

  it('gives the slot back on an Idempotency-Key conflict and when the job cannot be queued', async () => {
    await submit(writing(), { 'Idempotency-Key': 'attempt-0002' });
    const conflict = await submit(writing({ essay: `${writing().essay} Changed.` }), {
      'Idempotency-Key': 'attempt-0002',
    });
    expect(conflict.statusCode).toBe(409);
    expect(await usedToday()).toBe(1);

    h.sqs.sendFailure = { status: 400, code: 'QueueDoesNotExist' };
    const unqueued = await submit(writing(), { 'Idempotency-Key': 'attempt-0003' });
    // A queue that does not exist is permanent (500), not worth a retry; either way no job exists.
    expect(unqueued.statusCode).toBe(500);
    expect(await usedToday()).toBe(1);
    h.sqs.sendFailure = undefined;
    // The client's retry with the same key re-creates the job and is counted once.
    expect((await submit(writing(), { 'Idempotency-Key': 'attempt-0003' })).statusCode).toBe(202);
    expect(await usedToday()).toBe(2);
  });

  it('admits exactly the limit of concurrent submissions through the route', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit(writing())));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 202, 429, 429, 429, 429, 429, 429]);
    expect(await usedToday()).toBe(2);
  });
});
