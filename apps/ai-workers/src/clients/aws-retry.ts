/**
 * Which DynamoDB failures are worth another attempt, and how long to wait: the AWS SDKs' "standard"
 * retry mode (the same error lists and the same capped exponential backoff with full jitter), so the
 * light client behaves under throttling and outages the way the SDK client it replaces did.
 */

/** Throttling error codes the SDKs retry with the longer throttling backoff. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
]);

/** Failures without a useful answer: the next attempt may well succeed. */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

/** Base delays and cap of the SDKs' standard mode. */
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

export interface RetryableFailure {
  readonly name: string;
  readonly code?: string;
  readonly $metadata: { readonly httpStatusCode?: number };
}

export function isThrottling(error: RetryableFailure): boolean {
  return error.$metadata.httpStatusCode === 429 || THROTTLING.has(error.name);
}

export function isRetryable(error: RetryableFailure): boolean {
  const status = error.$metadata.httpStatusCode;
  return (
    isThrottling(error) ||
    TRANSIENT_NAMES.has(error.name) ||
    (status !== undefined && TRANSIENT_STATUS.has(status)) ||
    (error.code !== undefined && NETWORK_CODES.has(error.code))
  );
}

/**
 * Full-jitter exponential backoff before attempt `attempt + 1`: a random wait up to
 * `min(cap, base * 2^(attempt - 1))`, so a fleet of throttled functions spreads its retries out.
 */
export function backoffDelayMs(
  error: RetryableFailure,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = isThrottling(error) ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
}
