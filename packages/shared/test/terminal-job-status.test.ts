import { describe, expect, it } from 'vitest';
import { isTerminalJobStatus, JOB_EVENT_TYPES, JOB_STATUSES, TERMINAL_JOB_STATUSES } from '../src/index.js';

describe('terminal job statuses', () => {
  it('SUCCEEDED and FAILED are terminal, QUEUED and RUNNING are not', () => {
    expect(JOB_STATUSES.filter(isTerminalJobStatus)).toEqual(['SUCCEEDED', 'FAILED']);
    expect([...TERMINAL_JOB_STATUSES].sort()).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('every terminal status has a completion event type, and nothing else has one', () => {
    expect(Object.keys(JOB_EVENT_TYPES).sort()).toEqual([...TERMINAL_JOB_STATUSES].sort());
  });

  it('anything that is not a status string is not terminal', () => {
    for (const value of [undefined, null, 'succeeded', 'DONE', '', 1, {}]) {
      expect(isTerminalJobStatus(value)).toBe(false);
    }
  });
});
