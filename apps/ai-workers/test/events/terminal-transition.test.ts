import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decideStreamRecord, MalformedStreamRecordError } from '../../src/events/terminal-transition.js';
import { sampleWritingResult } from '../support/job-results.js';
import { streamRecordOf } from '../support/stream-records.js';

const JOB_ID = '5f0c6c1e-3f57-4c55-8a52-1f1d7c0f2a10';

function job(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId: JOB_ID,
    userId: 'learner-7',
    kind: 'writing',
    status,
    principal: 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/1',
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:05.000Z',
    attempts: status === 'QUEUED' ? 0 : 1,
    requestHash: 'abc',
    expiresAt: 1_797_000_000,
    ...extra,
  };
}

const succeeded = () =>
  job('SUCCEEDED', { result: sampleWritingResult(), finishedAt: '2026-11-29T10:00:09.000Z' });
const failed = (extra: Record<string, unknown> = {}) =>
  job('FAILED', { error: { code: 'INSUFFICIENT_CONTENT', message: 'Too short' }, ...extra });

describe('decideStreamRecord: which jobs-table stream records are terminal transitions', () => {
  it.each<[string, Record<string, unknown> | undefined, Record<string, unknown>, string]>([
    ['RUNNING -> SUCCEEDED', job('RUNNING'), succeeded(), 'SUCCEEDED'],
    ['RUNNING -> FAILED', job('RUNNING'), failed(), 'FAILED'],
    [
      'QUEUED -> FAILED (failed before it ran, e.g. the dead-letter function)',
      job('QUEUED'),
      failed(),
      'FAILED',
    ],
    ['nothing -> FAILED (a job inserted already terminal)', undefined, failed(), 'FAILED'],
  ])('publishes %s', (_name, before, after, status) => {
    const decision = decideStreamRecord(streamRecordOf(before, after));
    expect(decision).toMatchObject({ action: 'publish', status, job: { jobId: JOB_ID, status } });
  });

  it('hands over the whole new image, numbers and nested maps as plain values', () => {
    const decision = decideStreamRecord(streamRecordOf(job('RUNNING'), succeeded()));
    expect(decision.action === 'publish' && decision.job).toEqual(succeeded());
  });

  it.each<[string, Record<string, unknown> | undefined, Record<string, unknown> | undefined, RegExp]>([
    ['a new QUEUED job', undefined, job('QUEUED'), /QUEUED is not terminal/],
    ['QUEUED -> RUNNING', job('QUEUED'), job('RUNNING'), /RUNNING is not terminal/],
    [
      'RUNNING -> RUNNING (a redelivered message starts it again)',
      job('RUNNING'),
      job('RUNNING', { attempts: 2 }),
      /not terminal/,
    ],
    [
      'SUCCEEDED -> SUCCEEDED (a later write to a finished job)',
      succeeded(),
      { ...succeeded(), updatedAt: 'x' },
      /already SUCCEEDED/,
    ],
    ['FAILED -> FAILED', failed(), failed({ attempts: 3 }), /already FAILED/],
    [
      'FAILED -> SUCCEEDED (never happens, but never a second event)',
      failed(),
      succeeded(),
      /already FAILED/,
    ],
    [
      'FAILED -> QUEUED (a retried submission re-creates an unsent job)',
      failed({ enqueueFailed: true }),
      job('QUEUED'),
      /not terminal/,
    ],
    [
      'QUEUED -> FAILED because the message never reached the queue',
      job('QUEUED'),
      failed({ enqueueFailed: true }),
      /before it was enqueued/,
    ],
    ['a TTL deletion', succeeded(), undefined, /removed/],
  ])('skips %s', (_name, before, after, reason) => {
    const decision = decideStreamRecord(streamRecordOf(before, after));
    expect(decision.action).toBe('skip');
    expect(decision.action === 'skip' && decision.reason).toMatch(reason);
  });

  it('decides the same way on every delivery of the same record', () => {
    const record = streamRecordOf(job('RUNNING'), failed());
    const copy = JSON.parse(JSON.stringify(record)) as DynamoDBRecord;
    expect(decideStreamRecord(copy)).toEqual(decideStreamRecord(record));
  });

  it('refuses records of a stream without old images, naming the view type', () => {
    const record = streamRecordOf(job('RUNNING'), succeeded());
    const { OldImage: _dropped, ...change } = record.dynamodb ?? {};
    const keysOnly = { ...record, dynamodb: { ...change, StreamViewType: 'NEW_IMAGE' as const } };
    expect(() => decideStreamRecord(keysOnly)).toThrow(MalformedStreamRecordError);
    expect(() => decideStreamRecord(keysOnly)).toThrow(/NEW_AND_OLD_IMAGES, got NEW_IMAGE/);
    const noNew = { ...record, dynamodb: { ...record.dynamodb, NewImage: undefined } };
    expect(() => decideStreamRecord(noNew)).toThrow(/no NewImage/);
  });

  it('refuses an image without a job id or status, and an unknown event name', () => {
    const { status: _status, ...noStatus } = succeeded();
    expect(() => decideStreamRecord(streamRecordOf(job('RUNNING'), noStatus))).toThrow(/no jobId or status/);
    const odd = {
      ...streamRecordOf(job('RUNNING'), succeeded()),
      eventName: 'UPSERT',
    } as unknown as DynamoDBRecord;
    expect(() => decideStreamRecord(odd)).toThrow(/unknown event name/);
  });
});
