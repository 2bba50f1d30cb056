import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryable, isThrottling } from '../../src/clients/aws-retry.js';

/** The SDKs' standard retry mode, which the light DynamoDB client keeps. */
const failure = (name: string, httpStatusCode?: number, code?: string) => ({
  name,
  ...(code ? { code } : {}),
  $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
});

describe('which DynamoDB failures are retried', () => {
  it('throttling, by name or by HTTP 429', () => {
    expect(isThrottling(failure('ProvisionedThroughputExceededException', 400))).toBe(true);
    expect(isThrottling(failure('ThrottlingException', 400))).toBe(true);
    expect(isThrottling(failure('Unnamed', 429))).toBe(true);
    expect(isThrottling(failure('ValidationException', 400))).toBe(false);
    expect(isRetryable(failure('RequestLimitExceeded', 400))).toBe(true);
  });

  it('outages and timeouts: 500/502/503/504, TimeoutError, dropped connections', () => {
    for (const status of [500, 502, 503, 504]) expect(isRetryable(failure('Whatever', status))).toBe(true);
    expect(isRetryable(failure('TimeoutError'))).toBe(true);
    expect(isRetryable(failure('Error', undefined, 'ECONNRESET'))).toBe(true);
    expect(isRetryable(failure('Error', undefined, 'ECONNREFUSED'))).toBe(true);
  });

  it('never an answer about the request itself: a refused condition, a validation error, access denied', () => {
    expect(isRetryable(failure('ConditionalCheckFailedException', 400))).toBe(false);
    expect(isRetryable(failure('ValidationException', 400))).toBe(false);
    expect(isRetryable(failure('AccessDeniedException', 400))).toBe(false);
    expect(isRetryable(failure('ResourceNotFoundException', 400))).toBe(false);
    expect(isRetryable(failure('Error', undefined, 'ERR_INVALID_ARG_TYPE'))).toBe(false);
  });
});

describe('how long to wait before the next attempt', () => {
  const top = () => 0.999999;
  it('doubles from 100 ms per attempt, with full jitter below that ceiling', () => {
    const server = failure('InternalServerError', 500);
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(server, attempt, top))).toEqual([99, 199, 399, 799]);
    expect(backoffDelayMs(server, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(server, 3, () => 0.5)).toBe(200);
  });

  it('starts at 500 ms when throttled, and never exceeds 20 s', () => {
    const throttled = failure('ThrottlingException', 400);
    expect(backoffDelayMs(throttled, 1, top)).toBe(499);
    expect(backoffDelayMs(throttled, 2, top)).toBe(999);
    expect(backoffDelayMs(throttled, 20, top)).toBe(19_999);
    expect(backoffDelayMs(failure('Error', 503), 20, top)).toBe(19_999);
  });
});
