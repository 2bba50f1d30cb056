import { describe, expect, it } from 'vitest';
import { InvalidResultError } from '../../src/jobs/job-store-errors.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { DeadlineExceededError, PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';

const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('classifyError', () => {
  it('keeps permanent job errors permanent, and treats a malformed worker result as a permanent bug', () => {
    expect(classifyError(new PermanentJobError('DOCUMENT_EMPTY', 'no text')).type).toBe('permanent');
    const bug = classifyError(new InvalidResultError('writing', [{ path: 'taskBand', message: 'Required' }]));
    expect(bug).toMatchObject({ type: 'permanent', error: { code: 'INTERNAL_ERROR' } });
  });

  it.each([
    ['RetryableJobError', new RetryableJobError('busy')],
    ['ThrottlingException', sdkError('ThrottlingException', 400)],
    ['TooManyRequestsException', sdkError('TooManyRequestsException', 429)],
    ['any 5xx', sdkError('SomethingOdd', 503)],
    ['$retryable', sdkError('Whatever', 400, { $retryable: { throttling: false } })],
    ['TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    [
      'wrapped transient cause',
      new Error('model call failed', { cause: sdkError('ModelTimeoutException', 408) }),
    ],
  ])('treats %s as transient', (_label, error) => {
    expect(classifyError(error).type).toBe('transient');
  });

  it('treats anything else as unexpected (retried until the DLQ), never as permanent', () => {
    expect(classifyError(new TypeError('x is undefined')).type).toBe('unexpected');
    expect(classifyError(sdkError('SomethingOdd', 400)).type).toBe('unexpected');
    expect(classifyError('a string').type).toBe('unexpected');
  });

  it.each([
    ['ValidationException', 400],
    ['AccessDeniedException', 403],
    ['ResourceNotFoundException', 404],
    ['QueueDoesNotExist', 400],
    ['KmsDisabled', 400],
  ])('fails %s at once as REQUEST_REJECTED, the service text kept out of the message', (name, status) => {
    const error = sdkError(name, status, {
      message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized',
    });
    const classified = classifyError(error);
    expect(classified).toMatchObject({ type: 'permanent', error: { code: 'REQUEST_REJECTED' } });
    if (classified.type !== 'permanent') throw new Error('unreachable');
    expect(classified.error.message).not.toMatch(/arn:|123456789012/);
    expect(classified.error.details).toMatchObject({ errorName: name });
  });

  it('marks a run out of time as transient with the DEADLINE_EXCEEDED code', () => {
    expect(classifyError(new DeadlineExceededError('5 s left'))).toEqual({
      type: 'transient',
      reason: '5 s left',
      code: 'DEADLINE_EXCEEDED',
    });
    expect(classifyError(new RetryableJobError('busy'))).toEqual({ type: 'transient', reason: 'busy' });
  });
});
