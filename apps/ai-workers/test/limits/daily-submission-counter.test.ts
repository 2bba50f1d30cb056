import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionLimits } from '@bandup/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DailyLimitReachedError, DailySubmissionCounter } from '../../src/limits/daily-submission-counter.js';
import { learnerDay, secondsUntilDayEnds } from '../../src/limits/learner-day.js';
import { createSubmissionCountersTable } from '../support/dynalite.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

const LIMITS: SubmissionLimits = {
  utcOffsetMinutes: 420, // Vietnam, UTC+7
  tiers: {
    free: { writing: 3, speaking: 2, flashcards: 0 },
    premium: { writing: 10, speaking: 6, flashcards: 2 },
  },
};

let h: JobStoreHarness;
let clock: Date;
let tableName: string;
let counter: DailySubmissionCounter;

beforeAll(async () => {
  h = await startJobStoreHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  // A fresh table per test: counters of one test never leak into the next.
  tableName = await createSubmissionCountersTable(h.dynamo.client);
  clock = new Date('2026-03-01T03:00:00.000Z'); // 10:00 in Vietnam
  counter = new DailySubmissionCounter(h.documents, { tableName, limits: LIMITS, now: () => clock });
});

const settle = (n: number, fn: () => Promise<unknown>) => Promise.allSettled(Array.from({ length: n }, fn));
const used = async (counterId: string) =>
  (await h.doc.send(new GetCommand({ TableName: tableName, Key: { counterId } }))).Item?.used as
    | number
    | undefined;

describe('learnerDay', () => {
  it.each([
    ['2026-03-01T16:59:59.000Z', '2026-03-01', 1],
    ['2026-03-01T17:00:00.000Z', '2026-03-02', 86_400],
    ['2026-02-28T17:00:00.000Z', '2026-03-01', 86_400],
    ['2026-03-01T03:00:00.000Z', '2026-03-01', 14 * 3600],
  ])('at %s the Vietnamese day is %s, ending in %i s', (at, label, seconds) => {
    const day = learnerDay(new Date(at), 420);
    expect(day.label).toBe(label);
    expect(secondsUntilDayEnds(new Date(at), day)).toBe(seconds);
  });

  it('follows the configured offset (UTC and a negative offset)', () => {
    expect(learnerDay(new Date('2026-03-01T23:30:00.000Z'), 0).label).toBe('2026-03-01');
    expect(learnerDay(new Date('2026-03-01T03:00:00.000Z'), -300).label).toBe('2026-02-28');
  });
});

describe('DailySubmissionCounter on dynalite', () => {
  it('admits exactly the limit of 20 concurrent submissions and refuses the rest', async () => {
    const results = await settle(20, () => counter.consume({ userId: 'u1', kind: 'writing' }));
    const admitted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(admitted).toHaveLength(3);
    expect(refused).toHaveLength(17);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DailyLimitReachedError);
    // Each admitted submission saw a distinct count: 1, 2, 3.
    expect(admitted.map((r) => (r as PromiseFulfilledResult<{ used: number }>).value.used).sort()).toEqual([
      1, 2, 3,
    ]);
    expect(await used('u1#writing#2026-03-01')).toBe(3);
  });

  it('resets at the learner midnight: refused at 23:59:59 with Retry-After 1, admitted at 00:00', async () => {
    clock = new Date('2026-03-01T16:59:00.000Z'); // 23:59:00 in Vietnam
    for (let i = 0; i < 3; i++) await counter.consume({ userId: 'u1', kind: 'writing' });
    clock = new Date('2026-03-01T16:59:59.000Z');
    const refused = await counter.consume({ userId: 'u1', kind: 'writing' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DailyLimitReachedError);
    expect((refused as DailyLimitReachedError).retryAfterSeconds).toBe(1);

    clock = new Date('2026-03-01T17:00:00.000Z'); // 00:00 on 2 March in Vietnam
    const slot = await counter.consume({ userId: 'u1', kind: 'writing' });
    expect(slot).toMatchObject({ counterId: 'u1#writing#2026-03-02', used: 1, limit: 3 });
    expect(await used('u1#writing#2026-03-01')).toBe(3);
  });

  it('keeps each counter two days (TTL past its day, so late releases still find it)', async () => {
    await counter.consume({ userId: 'u1', kind: 'writing' });
    const item = (
      await h.doc.send(new GetCommand({ TableName: tableName, Key: { counterId: 'u1#writing#2026-03-01' } }))
    ).Item;
    // The day ends at 2026-03-01T17:00Z; the item expires one day after that.
    expect(item?.expiresAt).toBe(Date.parse('2026-03-02T17:00:00.000Z') / 1000);
  });

  it('counts per learner, kind and tier', async () => {
    for (let i = 0; i < 2; i++) await counter.consume({ userId: 'u1', kind: 'speaking' });
    await expect(counter.consume({ userId: 'u1', kind: 'speaking' })).rejects.toThrow(
      'Daily limit of 2 speaking submission(s) for the free tier reached',
    );
    await expect(counter.consume({ userId: 'u2', kind: 'speaking' })).resolves.toMatchObject({ used: 1 });
    await expect(counter.consume({ userId: 'u1', kind: 'writing' })).resolves.toMatchObject({ used: 1 });
    // The premium limit applies to the same counter: a learner who upgrades mid-day gets the difference.
    await expect(counter.consume({ userId: 'u1', kind: 'speaking', tier: 'premium' })).resolves.toMatchObject(
      {
        used: 3,
        limit: 6,
      },
    );
  });

  it('refuses a kind whose limit is 0 for the tier without touching the table', async () => {
    const error = await counter.consume({ userId: 'u1', kind: 'flashcards' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DailyLimitReachedError);
    expect((error as Error).message).toBe('flashcards submissions are not available on the free tier');
    expect(await used('u1#flashcards#2026-03-01')).toBeUndefined();
  });

  it('gives a slot back, never below zero', async () => {
    const slots = [];
    for (let i = 0; i < 3; i++) slots.push(await counter.consume({ userId: 'u1', kind: 'writing' }));
    await counter.release(slots[0]!);
    expect(await used('u1#writing#2026-03-01')).toBe(2);
    await expect(counter.consume({ userId: 'u1', kind: 'writing' })).resolves.toMatchObject({ used: 3 });
    for (let i = 0; i < 5; i++) await counter.release(slots[1]!);
    expect(await used('u1#writing#2026-03-01')).toBe(0);
    // Releasing a counter that does not exist creates nothing.
    await counter.release({ counterId: 'nobody#writing#2026-03-01', used: 1, limit: 3 });
    expect(await used('nobody#writing#2026-03-01')).toBeUndefined();
  });
});
