import { VISIBILITY_TIMEOUT_FACTOR } from '@bandup/shared';

/** SQS accepts visibility timeouts of 0 s to 12 hours. */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/** One queue and the function that consumes it, as the visibility rule sees them. */
export interface QueueVisibility {
  /** Queue name as it appears in errors, e.g. `writing` or `writing-dlq`. */
  readonly queue: string;
  readonly visibilityTimeoutSeconds: number;
  readonly consumer: { readonly name: string; readonly timeoutSeconds: number };
  /** Where the value came from, for the error message (e.g. `config.ai.queueVisibilityTimeoutSeconds.writing`). */
  readonly source?: string;
}

/**
 * The default visibility timeout of a queue: `VISIBILITY_TIMEOUT_FACTOR` times the consumer's
 * timeout plus its batching window (AWS's guidance for Lambda event source mappings: a message
 * must stay invisible through the function's retries of a throttled or failed batch, or a second
 * consumer gets it while the first is still working on it).
 */
export function defaultVisibilityTimeout(consumerTimeoutSeconds: number, batchingWindowSeconds = 0): number {
  return VISIBILITY_TIMEOUT_FACTOR * consumerTimeoutSeconds + batchingWindowSeconds;
}

/**
 * Every violation of the visibility rule (at least `VISIBILITY_TIMEOUT_FACTOR` x the consumer's
 * timeout, at most the SQS maximum), one message per queue naming the queue, the value, its
 * source and the minimum. Empty when all queues comply.
 */
export function visibilityTimeoutViolations(queues: readonly QueueVisibility[]): string[] {
  const problems: string[] = [];
  for (const q of queues) {
    const where = q.source ? ` (${q.source})` : '';
    const minimum = VISIBILITY_TIMEOUT_FACTOR * q.consumer.timeoutSeconds;
    if (!Number.isInteger(q.visibilityTimeoutSeconds) || q.visibilityTimeoutSeconds < 0) {
      problems.push(
        `queue "${q.queue}"${where}: visibility timeout ${q.visibilityTimeoutSeconds} s is not a whole number of seconds`,
      );
    } else if (q.visibilityTimeoutSeconds < minimum) {
      problems.push(
        `queue "${q.queue}"${where}: visibility timeout ${q.visibilityTimeoutSeconds} s is below ` +
          `${VISIBILITY_TIMEOUT_FACTOR} x the ${q.consumer.timeoutSeconds} s timeout of its consumer ` +
          `"${q.consumer.name}" (minimum ${minimum} s)`,
      );
    } else if (q.visibilityTimeoutSeconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
      problems.push(
        `queue "${q.queue}"${where}: visibility timeout ${q.visibilityTimeoutSeconds} s exceeds the SQS maximum of ` +
          `${MAX_VISIBILITY_TIMEOUT_SECONDS} s (consumer "${q.consumer.name}" timeout ${q.consumer.timeoutSeconds} s is too long for SQS)`,
      );
    }
  }
  return problems;
}

/** Throws one error listing every violation (synth fails before any Terraform is written). */
export function assertVisibilityTimeouts(queues: readonly QueueVisibility[]): void {
  const problems = visibilityTimeoutViolations(queues);
  if (problems.length > 0) {
    throw new Error(`SQS visibility timeout rule violated:\n  - ${problems.join('\n  - ')}`);
  }
}
