import type { JobKind } from '../names.js';

/** One standard SQS queue per worker kind, each with its own dead-letter queue `<name>-dlq`. */
export const QUEUE_NAMES = ['writing', 'speaking', 'speaking-finalize', 'flashcards'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The queue a submitted job of each kind is sent to. */
export const SUBMIT_QUEUE_BY_KIND: Readonly<Record<JobKind, QueueName>> = {
  writing: 'writing',
  speaking: 'speaking',
  flashcards: 'flashcards',
};

/** Name of a queue's dead-letter queue. */
export function deadLetterQueueName(queue: QueueName): `${QueueName}-dlq` {
  return `${queue}-dlq`;
}

/** SQS rule: visibility timeout at least six times the consuming function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Receives before a message moves to its DLQ (config may override). */
export const DEFAULT_MAX_RECEIVE_COUNT = 3;
/** DLQ retention: the SQS maximum, so operators have time to replay. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;
