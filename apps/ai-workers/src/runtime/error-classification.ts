import { InvalidResultError } from '../jobs/job-store-errors.js';
import { DeadlineExceededError, PermanentJobError, RetryableJobError } from './errors.js';

/**
 * What the runner does with a worker's failure:
 * - `permanent`: mark the job FAILED with the code and acknowledge the message (no retry);
 * - `transient`: throttling, 5xx, timeouts, network: report the record failed so SQS redelivers it;
 * - `unexpected`: anything else. Also redelivered: an unknown error may well be transient (a
 *   dependency's odd answer), and if it is not, the message reaches the DLQ after `maxReceiveCount`
 *   receives, where the dead-letter function fails the job (`RETRIES_EXHAUSTED`) and archives the
 *   message for replay. Nothing is failed on a guess, nothing retries forever.
 *
 * An AWS service refusing the request itself (validation, access denied, unknown model or queue,
 * a disabled KMS key) is permanent `REQUEST_REJECTED`: the same request would be refused again, so
 * the job fails at once instead of after every retry.
 */
export type ErrorClass =
  | { readonly type: 'permanent'; readonly error: PermanentJobError }
  | { readonly type: 'transient'; readonly reason: string; readonly code?: 'DEADLINE_EXCEEDED' }
  | { readonly type: 'unexpected'; readonly reason: string };

/** Exception names (and SQS JSON-protocol codes) of requests a service refuses as such. */
const REJECTED_NAMES = new Set([
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
]);

/** Error names (SDK exception names, Node and undici errors) that mean "try again later". */
const TRANSIENT_NAMES = new Set([
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
]);

/** Socket-level failures (Node `code`). */
const NETWORK_CODES = new Set([
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
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof PermanentJobError) return { type: 'permanent', error };
  if (error instanceof InvalidResultError) {
    // The worker produced a result of the wrong shape: a bug that redelivery would repeat.
    return { type: 'permanent', error: new PermanentJobError('INTERNAL_ERROR', error.message) };
  }
  if (error instanceof DeadlineExceededError) {
    return { type: 'transient', reason: error.message, code: 'DEADLINE_EXCEEDED' };
  }
  if (error instanceof RetryableJobError) return { type: 'transient', reason: error.message };
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const label = `${shape.name ?? 'Error'}: ${error instanceof Error ? error.message : String(error)}`;
  if (shape.$retryable) return { type: 'transient', reason: label };
  if (shape.name && REJECTED_NAMES.has(shape.name)) {
    // The service's own text may name ARNs and the account: it goes to details (logs), not the message.
    return {
      type: 'permanent',
      error: new PermanentJobError(
        'REQUEST_REJECTED',
        'An AI service refused the request; the job cannot succeed as configured',
        {
          service: shape.$metadata ? 'aws' : 'unknown',
          errorName: shape.name,
          errorMessage: label,
          httpStatusCode: status,
        },
      ),
    };
  }
  if (shape.name && TRANSIENT_NAMES.has(shape.name)) return { type: 'transient', reason: label };
  if (shape.code && NETWORK_CODES.has(shape.code)) return { type: 'transient', reason: label };
  if (status !== undefined && (status >= 500 || status === 429)) return { type: 'transient', reason: label };
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== error) {
    const inner = classifyError(cause);
    if (inner.type === 'transient') return { type: 'transient', reason: `${label} (cause: ${inner.reason})` };
  }
  return { type: 'unexpected', reason: label };
}
