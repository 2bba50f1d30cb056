import { describe, expect, it } from 'vitest';
import { InvalidResultError } from '../../src/jobs/job-store-errors.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';

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
    expect(classifyError(sdkError('AccessDeniedException', 403)).type).toBe('unexpected');
    expect(classifyError('a string').type).toBe('unexpected');
  });
});
