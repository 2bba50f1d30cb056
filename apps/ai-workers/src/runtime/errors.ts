import type { JobErrorCode } from '@bandup/shared';

/**
 * A failure that retrying cannot fix (bad input, unreadable document, invalid model output after
 * repair). The runner marks the job FAILED with `code` and does not let SQS redeliver the message.
 */
export class PermanentJobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    /** Extra diagnostics kept on the job record (e.g. the raw model answer). Never secrets. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * A failure worth retrying (throttling, 5xx, timeouts). The runner reports the record as failed
 * in the partial batch response, so SQS redelivers it; after `maxReceiveCount` it reaches the DLQ.
 */
export class RetryableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableJobError';
  }
}

/**
 * The run cannot finish before its Lambda invocation is killed. Retryable (the next delivery starts
 * with a full time budget); recorded on the job as `DEADLINE_EXCEEDED`, the code the dead-letter
 * function uses if every attempt ends this way.
 */
export class DeadlineExceededError extends RetryableJobError {
  readonly code = 'DEADLINE_EXCEEDED' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineExceededError';
  }
}
