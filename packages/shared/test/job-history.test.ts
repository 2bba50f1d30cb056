import { describe, expect, it } from 'vitest';
import { HistoryLimitSchema, JobHistoryResponseSchema, type JobRecord, toJobSummary } from '../src/index.js';
import { JOB_ID, USER } from './helpers.js';

/** A stored job; `result` holds just the fields the history reads (the view never parses it). */
const record = (
  fields: Partial<Omit<JobRecord, 'result'>> & { result?: Record<string, unknown> },
): JobRecord =>
  ({
    jobId: JOB_ID,
    userId: USER,
    kind: 'writing',
    status: 'QUEUED',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    attempts: 0,
    expiresAt: 1_800_000_000,
    principal: 'arn:aws:iam::111111111111:role/bandup-dev-backend-task',
    ...fields,
  }) as JobRecord;

describe('GET /v1/jobs limit', () => {
  it('accepts a whole number from 1 to 100', () => {
    for (const limit of ['1', '20', '100'])
      expect(HistoryLimitSchema.safeParse(limit).success, limit).toBe(true);
  });

  it('rejects 0, more than 100, and anything that is not a plain whole number', () => {
    for (const limit of ['0', '101', '999', '1000', '-1', '1.5', '01', ' 5', '']) {
      expect(HistoryLimitSchema.safeParse(limit).success, limit).toBe(false);
    }
  });
});

describe('the history view of a job', () => {
  it('a queued job: status and timing only', () => {
    expect(toJobSummary(record({}))).toEqual({
      jobId: JOB_ID,
      kind: 'writing',
      status: 'QUEUED',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
  });

  it('a succeeded Writing job carries its task band, a Speaking job its part band, never the result body', () => {
    const times = { startedAt: '2026-01-01T00:00:02.000Z', finishedAt: '2026-01-01T00:00:09.000Z' };
    const writing = toJobSummary(
      record({ status: 'SUCCEEDED', ...times, result: { taskBand: 6.5, band: 9, feedback: 'long text' } }),
    );
    expect(writing).toMatchObject({ status: 'SUCCEEDED', band: 6.5, ...times });
    expect(writing).not.toHaveProperty('result');
    const speaking = toJobSummary(
      record({ kind: 'speaking', status: 'SUCCEEDED', result: { band: 7, taskBand: 5 } }),
    );
    expect(speaking.band).toBe(7);
    const flashcards = toJobSummary(record({ kind: 'flashcards', status: 'SUCCEEDED', result: { band: 7 } }));
    expect(flashcards).not.toHaveProperty('band');
  });

  it('a failed job carries its error code and message, and no band from a stale result', () => {
    const failed = toJobSummary(
      record({
        status: 'FAILED',
        error: { code: 'TRANSCRIPT_EMPTY', message: 'No speech', details: { seconds: 0 } },
        result: { taskBand: 6 },
      }),
    );
    expect(failed.error).toEqual({ code: 'TRANSCRIPT_EMPTY', message: 'No speech' });
    expect(failed).not.toHaveProperty('band');
  });

  it('every summary is a valid entry of the history response', () => {
    const jobs = [
      toJobSummary(record({})),
      toJobSummary(record({ status: 'SUCCEEDED', result: { taskBand: 6.5 } })),
    ];
    expect(JobHistoryResponseSchema.safeParse({ jobs }).success).toBe(true);
  });
});
