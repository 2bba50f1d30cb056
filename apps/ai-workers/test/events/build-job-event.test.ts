import { JobEventSchema } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import { buildJobEvent, InvalidJobEventError } from '../../src/events/build-job-event.js';
import { InvalidStoredResultError } from '../../src/events/result-summary.js';
import type { JobItem } from '../../src/jobs/job-item.js';
import {
  sampleFlashcardSetResult,
  sampleSpeakingResult,
  sampleWritingResult,
} from '../support/job-results.js';

const JOB_ID = '9a6b1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b';

function item(overrides: Partial<JobItem>): JobItem {
  return {
    jobId: JOB_ID,
    userId: 'learner-9',
    kind: 'writing',
    status: 'SUCCEEDED',
    principal: 'arn:aws:sts::123456789012:assumed-role/backend/1',
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:01:00.000Z',
    finishedAt: '2026-11-29T10:00:59.000Z',
    attempts: 2,
    expiresAt: 1_797_000_000,
    ...overrides,
  } as JobItem;
}

describe('buildJobEvent', () => {
  it('summarises a Writing result: task band, criteria bands, word count; when = finishedAt', () => {
    const event = buildJobEvent({ job: item({}), result: sampleWritingResult() });
    expect(event).toEqual({
      schemaVersion: 1,
      eventId: `${JOB_ID}:SUCCEEDED`,
      type: 'job.succeeded',
      jobId: JOB_ID,
      userId: 'learner-9',
      kind: 'writing',
      status: 'SUCCEEDED',
      occurredAt: '2026-11-29T10:00:59.000Z',
      attempts: 2,
      summary: {
        kind: 'writing',
        taskType: 'task2',
        band: 6.5,
        criteria: {
          taskAchievement: 6.5,
          coherenceCohesion: 6.5,
          lexicalResource: 6,
          grammaticalRangeAccuracy: 7,
        },
        wordCount: 270,
        underLength: false,
      },
    });
  });

  it('summarises a Speaking result (part, band, criteria) and a flashcard set (cards made of requested)', () => {
    const speaking = buildJobEvent({ job: item({ kind: 'speaking' }), result: sampleSpeakingResult() });
    expect(speaking.status === 'SUCCEEDED' && speaking.summary).toEqual({
      kind: 'speaking',
      part: 2,
      band: 6.5,
      criteria: { fluencyCoherence: 6, lexicalResource: 7, grammaticalRangeAccuracy: 6, pronunciation: 7 },
    });
    const cards = buildJobEvent({
      job: item({ kind: 'flashcards' }),
      result: sampleFlashcardSetResult(3, 12),
    });
    expect(cards.status === 'SUCCEEDED' && cards.summary).toEqual({
      kind: 'flashcards',
      cardCount: 3,
      requestedCount: 12,
    });
  });

  it('carries the error code and message of a failed job, never its diagnostic details', () => {
    const event = buildJobEvent({
      job: item({
        status: 'FAILED',
        error: { code: 'MODEL_OUTPUT_INVALID', message: 'Bad JSON twice', details: { raw: 'the essay...' } },
      }),
    });
    expect(event).toMatchObject({
      eventId: `${JOB_ID}:FAILED`,
      type: 'job.failed',
      status: 'FAILED',
      error: { code: 'MODEL_OUTPUT_INVALID', message: 'Bad JSON twice' },
    });
    expect(JSON.stringify(event)).not.toContain('the essay');
    expect(JobEventSchema.parse(event)).toEqual(event);
  });

  it('uses updatedAt when an older item has no finishedAt', () => {
    const event = buildJobEvent({ job: item({ finishedAt: undefined }), result: sampleWritingResult() });
    expect(event.occurredAt).toBe('2026-11-29T10:01:00.000Z');
  });

  it('refuses a result of another kind, a failed job without an error, and a non-terminal job', () => {
    expect(() => buildJobEvent({ job: item({ kind: 'speaking' }), result: sampleWritingResult() })).toThrow(
      InvalidStoredResultError,
    );
    expect(() => buildJobEvent({ job: item({ status: 'FAILED' }) })).toThrow(/error\.code/);
    expect(() => buildJobEvent({ job: item({ status: 'FAILED' }) })).toThrow(InvalidJobEventError);
    expect(() => buildJobEvent({ job: item({ status: 'RUNNING' }) })).toThrow(/RUNNING is not terminal/);
  });
});
