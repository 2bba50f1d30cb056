import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/runtime/error-classification.js';
import { DeadlineExceededError, PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';

/*
 * What the runner does with each failure AWS services and Node report, name by name: the list is
 * the rule (a name missing here would be retried until the DLQ, or failed at once, by accident).
 */

const sdkError = (name: string, status: number | undefined, message = `${name} happened`) =>
  Object.assign(new Error(message), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
  });

/** A service refusing the request itself: the same request would be refused again. */
const REJECTED = [
  'ValidationException',
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ResourceNotFoundException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsNotFound',
  'KmsInvalidState',
  'KmsInvalidKeyUsage',
  'KMS.AccessDeniedException',
  'KMS.DisabledException',
  'KMS.NotFoundException',
];

/** Throttling, a service's own failure, a timeout: the next delivery may well succeed. */
const TRANSIENT = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
];

/** Socket-level failures (Node and undici `code`). */
const NETWORK = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

describe('classifyError, name by name', () => {
  it.each(REJECTED)('a request refused with %s fails the job at once (REQUEST_REJECTED)', (name) => {
    // A 400 with a name the runner does not know would be "unexpected": the name alone decides.
    expect(classifyError(sdkError(name, 400))).toMatchObject({
      type: 'permanent',
      error: { code: 'REQUEST_REJECTED' },
    });
  });

  it.each(TRANSIENT)('%s is retried, with the name and the message as the reason', (name) => {
    expect(classifyError(sdkError(name, 400, 'try later'))).toEqual({
      type: 'transient',
      reason: `${name}: try later`,
    });
  });

  it('an error code that is not a socket failure decides nothing', () => {
    const bug = Object.assign(new TypeError('The "path" argument must be of type string'), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(classifyError(bug)).toEqual({ type: 'unexpected', reason: `TypeError: ${bug.message}` });
  });

  it.each(NETWORK)('a socket failure %s is retried', (code) => {
    expect(classifyError(Object.assign(new Error('socket'), { code }))).toEqual({
      type: 'transient',
      reason: 'Error: socket',
    });
  });
});

describe('classifyError, what decides besides the name', () => {
  it('a refused request keeps the service text in details, not in the message the learner reads', () => {
    const text = 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized';
    const classified = classifyError(sdkError('AccessDeniedException', 403, text));
    expect(classified).toEqual({ type: 'permanent', error: expect.anything() });
    if (classified.type !== 'permanent') throw new Error('unreachable');
    expect(classified.error.message).toBe(
      'An AI service refused the request; the job cannot succeed as configured',
    );
    expect(classified.error.details).toEqual({
      service: 'aws',
      errorName: 'AccessDeniedException',
      errorMessage: `AccessDeniedException: ${text}`,
      httpStatusCode: 403,
    });
    // An error of that name that did not come from an AWS client (no $metadata) says so.
    const bare = classifyError(sdkError('ValidationException', undefined, 'bad'));
    if (bare.type !== 'permanent') throw new Error(`expected permanent, got ${bare.type}`);
    expect(bare.error.details).toEqual({
      service: 'unknown',
      errorName: 'ValidationException',
      errorMessage: 'ValidationException: bad',
      httpStatusCode: undefined,
    });
  });

  it('an HTTP 429 or any 5xx is retried whatever the name; 499 and 428 are not', () => {
    expect(classifyError(sdkError('Odd', 429))).toEqual({ type: 'transient', reason: 'Odd: Odd happened' });
    expect(classifyError(sdkError('Odd', 500)).type).toBe('transient');
    expect(classifyError(sdkError('Odd', 599)).type).toBe('transient');
    expect(classifyError(sdkError('Odd', 499))).toEqual({ type: 'unexpected', reason: 'Odd: Odd happened' });
    expect(classifyError(sdkError('Odd', 428)).type).toBe('unexpected');
  });

  it('the SDK saying "retryable" wins over a name that would be refused', () => {
    const error = Object.assign(sdkError('ValidationException', 400, 'odd'), {
      $retryable: { throttling: true },
    });
    expect(classifyError(error)).toEqual({ type: 'transient', reason: 'ValidationException: odd' });
    expect(classifyError(Object.assign(sdkError('Odd', 400), { $retryable: undefined })).type).toBe(
      'unexpected',
    );
  });

  it('a transient cause makes its wrapper transient, naming both; any other cause does not', () => {
    const wrapped = new Error('model call failed', {
      cause: sdkError('ThrottlingException', 400, 'slow down'),
    });
    expect(classifyError(wrapped)).toEqual({
      type: 'transient',
      reason: 'Error: model call failed (cause: ThrottlingException: slow down)',
    });
    const rejectedCause = new Error('model call failed', { cause: sdkError('ValidationException', 400) });
    expect(classifyError(rejectedCause)).toEqual({ type: 'unexpected', reason: 'Error: model call failed' });
    // An error that is its own cause is classified once, not forever.
    const loop = new Error('loop');
    Object.assign(loop, { cause: loop });
    expect(classifyError(loop)).toEqual({ type: 'unexpected', reason: 'Error: loop' });
  });

  it('something thrown that is not an Error is unexpected, described as it is', () => {
    expect(classifyError('a string')).toEqual({ type: 'unexpected', reason: 'Error: a string' });
    expect(classifyError(null)).toEqual({ type: 'unexpected', reason: 'Error: null' });
    expect(classifyError(undefined)).toEqual({ type: 'unexpected', reason: 'Error: undefined' });
    expect(classifyError({ name: 'ThrottlingException' })).toEqual({
      type: 'transient',
      reason: 'ThrottlingException: [object Object]',
    });
  });
});

describe('the job errors', () => {
  it('name their class, as logs and serialized errors show it', () => {
    expect(new PermanentJobError('DOCUMENT_EMPTY', 'no text').name).toBe('PermanentJobError');
    expect(new RetryableJobError('busy').name).toBe('RetryableJobError');
    expect(new DeadlineExceededError('late').name).toBe('DeadlineExceededError');
  });

  it('keep the cause they wrap', () => {
    const cause = new Error('socket hang up');
    expect(new RetryableJobError('busy', { cause }).cause).toBe(cause);
    expect(new DeadlineExceededError('late', { cause }).cause).toBe(cause);
  });
});
