import { JOB_STATUSES, TERMINAL_JOB_WRITE_FILTER } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import { decideStreamRecord } from '../../src/events/terminal-transition.js';
import { matchesFilter } from '../support/event-filter.js';
import { sampleWritingResult } from '../support/job-results.js';
import { streamRecordOf } from '../support/stream-records.js';

const JOB_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function item(status: string | undefined): Record<string, unknown> | undefined {
  if (status === undefined) return undefined;
  return {
    jobId: JOB_ID,
    userId: 'learner-3',
    kind: 'writing',
    status,
    principal: 'arn:aws:sts::123456789012:assumed-role/backend/1',
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:05.000Z',
    finishedAt: '2026-11-29T10:00:05.000Z',
    attempts: 1,
    expiresAt: 1_797_000_000,
    ...(status === 'SUCCEEDED' ? { result: sampleWritingResult() } : {}),
    ...(status === 'FAILED' ? { error: { code: 'INTERNAL_ERROR', message: 'boom' } } : {}),
  };
}

const statuses = [undefined, ...JOB_STATUSES];
const transitions = statuses
  .flatMap((before) =>
    statuses.map((after) => [before ?? '(none)', after ?? '(removed)', before, after] as const),
  )
  .filter(([, , before, after]) => before !== undefined || after !== undefined);

describe('the stream mapping filter (TERMINAL_JOB_WRITE_FILTER) and the publisher agree', () => {
  it.each(transitions)('%s -> %s', (_b, _a, before, after) => {
    const record = streamRecordOf(item(before), item(after));
    const passes = matchesFilter(TERMINAL_JOB_WRITE_FILTER, record);
    const decision = decideStreamRecord(record);
    // The filter must never drop a record the publisher would publish.
    if (decision.action === 'publish') expect(passes).toBe(true);
    // And it does drop every write whose new status is not terminal, and every removal.
    const terminalAfter = after === 'SUCCEEDED' || after === 'FAILED';
    expect(passes).toBe(terminalAfter);
  });

  it('passes exactly the records whose new image is terminal, whatever the old one', () => {
    const published = transitions.filter(
      ([, , before, after]) =>
        decideStreamRecord(streamRecordOf(item(before), item(after))).action === 'publish',
    );
    expect(published.map(([b, a]) => `${b}->${a}`).sort()).toEqual(
      [
        '(none)->FAILED',
        '(none)->SUCCEEDED',
        'QUEUED->FAILED',
        'QUEUED->SUCCEEDED',
        'RUNNING->FAILED',
        'RUNNING->SUCCEEDED',
      ].sort(),
    );
  });
});
