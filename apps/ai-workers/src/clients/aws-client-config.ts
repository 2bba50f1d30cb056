import type { Credentials } from './aws-credentials.js';

/**
 * Settings every AWS client of the workers shares, the light client (`aws-http-client.ts`) and the
 * SDK clients alike. Region and credentials come from the Lambda environment; endpoint overrides come
 * from the SDK's own service-specific variables (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_SQS`), which both read, so tests and local runs point the real clients at loopback
 * without code paths of their own.
 */
export interface AwsClientOptions {
  /** Defaults to `AWS_REGION` (always set in Lambda). */
  readonly region?: string;
  /** Explicit endpoint; normally left unset so the SDK's env-var override applies. */
  readonly endpoint?: string;
  /** Total attempts including the first (SDK default 3). */
  readonly maxAttempts?: number;
  /** Instrumentation hook, e.g. `traceAwsCalls` (runtime/aws-call-tracing.ts) for an X-Ray subsegment per call. */
  readonly capture?: <T>(client: T) => T;
  /** Abort (and throw) a request that has not answered in this many milliseconds. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /**
   * Static credentials (tests, operator scripts). Otherwise Lambda's: the light client reads
   * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` per request, an SDK client its
   * default chain.
   */
  readonly credentials?: Credentials;
}

/** Connecting to an AWS endpoint takes milliseconds; seconds mean a network fault. */
export const CONNECTION_TIMEOUT_MS = 3_000;
/** DynamoDB, S3 (objects of a few MB at most), SQS, Secrets Manager, Transcribe control calls. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Options of the SDK's Node HTTP handler (the client builds it from this object). Without
 * `throwOnRequestTimeout` the pinned handler only logs a warning when `requestTimeout` passes and
 * keeps waiting, so a hung call would hold the function until Lambda kills it, with nothing recorded.
 */
function httpHandlerOptions(requestTimeoutMs: number) {
  return {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/**
 * Adaptive retry adds client-side rate limiting on throttling responses on top of exponential
 * backoff, which is what a bursty SQS-driven fleet needs against DynamoDB and Bedrock quotas. Every
 * request has an enforced timeout (see `httpHandlerOptions`); a timed-out attempt is retried.
 */
export function awsClientConfig(options: AwsClientOptions = {}) {
  const region = options.region ?? process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set and no region was given to the AWS client factory');
  return {
    region,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: httpHandlerOptions(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}
