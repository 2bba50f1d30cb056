import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildJobEventJsonSchema, type JobEvent, JobEventSchema, jobEventId } from '../src/index.js';

const JOB_ID = '0b7e5a52-54f4-4d55-9a36-4d0c1c3f9e21';

function succeeded(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    eventId: `${JOB_ID}:SUCCEEDED`,
    type: 'job.succeeded',
    jobId: JOB_ID,
    userId: 'learner-42',
    kind: 'writing',
    status: 'SUCCEEDED',
    occurredAt: '2026-11-29T12:00:00.000Z',
    attempts: 1,
    summary: {
      kind: 'writing',
      taskType: 'task2',
      band: 6.5,
      criteria: {
        taskAchievement: 6,
        coherenceCohesion: 7,
        lexicalResource: 6.5,
        grammaticalRangeAccuracy: 6.5,
      },
      wordCount: 280,
      underLength: false,
    },
    ...overrides,
  };
}

function failed(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    eventId: `${JOB_ID}:FAILED`,
    type: 'job.failed',
    jobId: JOB_ID,
    userId: 'learner-42',
    kind: 'speaking',
    status: 'FAILED',
    occurredAt: '2026-11-29T12:00:00.000Z',
    attempts: 3,
    error: { code: 'TRANSCRIPTION_FAILED', message: 'Amazon Transcribe could not transcribe the recording' },
    ...overrides,
  };
}

describe('job completion event schema', () => {
  it('derives the event id from job id and terminal status', () => {
    expect(jobEventId(JOB_ID, 'SUCCEEDED')).toBe(`${JOB_ID}:SUCCEEDED`);
    expect(jobEventId(JOB_ID, 'FAILED')).toBe(`${JOB_ID}:FAILED`);
  });

  it('accepts a succeeded and a failed event', () => {
    expect(JobEventSchema.parse(succeeded()).status).toBe('SUCCEEDED');
    expect(JobEventSchema.parse(failed()).status).toBe('FAILED');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an event id of another status', succeeded({ eventId: `${JOB_ID}:FAILED` }), 'eventId'],
    ['a summary of another kind', succeeded({ kind: 'speaking' }), 'summary.kind'],
    ['a status that does not match the type', succeeded({ status: 'FAILED' }), 'status'],
    ['a failed event without its error', failed({ error: undefined }), 'error'],
    ['an unknown error code', failed({ error: { code: 'OOPS', message: 'x' } }), 'error.code'],
    [
      'a band off the half-band scale',
      succeeded({ summary: { ...(succeeded().summary as object), band: 6.25 } }),
      'summary.band',
    ],
    ['a job id that is not a UUID', succeeded({ jobId: 'job-1', eventId: 'job-1:SUCCEEDED' }), 'jobId'],
    ['an extra field (the schema is strict)', failed({ result: {} }), ''],
  ])('rejects %s', (_name, event, path) => {
    const parsed = JobEventSchema.safeParse(event);
    expect(parsed.success).toBe(false);
    if (path) expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('exports a JSON Schema that accepts the events the zod schema accepts and rejects bad ones', () => {
    const schema = buildJobEventJsonSchema();
    expect(schema.$id).toMatch(/job-event\.v1\.json$/);
    const ajv = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const good: JobEvent[] = [JobEventSchema.parse(succeeded()), JobEventSchema.parse(failed())];
    for (const event of good) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(failed({ error: { code: 'OOPS', message: 'x' } }))).toBe(false);
    expect(validate(succeeded({ summary: { kind: 'flashcards', cardCount: -1, requestedCount: 10 } }))).toBe(
      false,
    );
    expect(validate({ ...succeeded(), extra: true })).toBe(false);
    // Compiling the schema with ajv takes a second alone; on a loaded machine more than the default 5 s.
  }, 30_000);
});
