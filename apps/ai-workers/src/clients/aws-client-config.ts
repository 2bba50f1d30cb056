/**
 * Settings every AWS SDK client of the workers shares. Region and credentials come from the Lambda
 * environment; endpoint overrides come from the SDK's own service-specific variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SQS`), which SDK v3 reads
 * natively, so tests and local runs point the real clients at loopback without code paths of their own.
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
}

/**
 * Adaptive retry adds client-side rate limiting on throttling responses on top of exponential
 * backoff, which is what a bursty SQS-driven fleet needs against DynamoDB and Bedrock quotas.
 */
export function awsClientConfig(options: AwsClientOptions = {}) {
  const region = options.region ?? process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set and no region was given to the AWS client factory');
  return {
    region,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}
