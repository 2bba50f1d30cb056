import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUE_NAMES, type QueueName } from '@bandup/shared';
import type { S3Objects } from '../clients/s3-objects.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ArchivedDeadLetter } from './dead-letter-processor.js';

export interface ReplayDeps {
  readonly s3: S3Objects;
  readonly dataBucket: string;
  readonly store: Pick<JobStore, 'get' | 'reopen'>;
  readonly sqs: SQSClient;
  /** The URL of every queue, by catalogue name (`writing`, `speaking`, `speaking-finalize`, `flashcards`). */
  readonly queueUrls: Readonly<Record<QueueName, string>>;
}

export type ReplayOutcome =
  | {
      readonly action: 'sent';
      readonly queue: QueueName;
      readonly jobId: string | null;
      readonly reopened: boolean;
    }
  | {
      readonly action: 'skipped';
      readonly queue: QueueName | 'unknown';
      readonly jobId: string | null;
      readonly reason: string;
    };

/**
 * Replays one archived dead letter (`dead-letters/<queue>/<jobId>/<messageId>.json`, written by the
 * dead-letter function) to its source queue, for any of the four queues:
 *
 * 1. The job is put back where the replayed message can finish it (`JobStore.reopen`): QUEUED for
 *    the queue workers' messages (writing, speaking, flashcards), RUNNING and waiting for Transcribe
 *    for a speaking-finalize event (the event's job is resumed by speaking-finalize, not started).
 *    Only jobs that failed for an operational reason (`RETRIES_EXHAUSTED`, `TIMED_OUT`,
 *    `DEADLINE_EXCEEDED`) are reopened; a job that succeeded or failed on its input is left alone
 *    and nothing is sent, since the message could not change it.
 * 2. The archived body (and message attributes) is sent unchanged to the source queue. A job still
 *    QUEUED or RUNNING gets the message as well: it runs under a lease, so a duplicate cannot run twice.
 */
export async function replayDeadLetter(deps: ReplayDeps, archiveKey: string): Promise<ReplayOutcome> {
  const archive = await readArchive(deps, archiveKey);
  const queue = archive.queue;
  if (!isQueueName(queue)) {
    return {
      action: 'skipped',
      queue: 'unknown',
      jobId: archive.jobId,
      reason: 'the archive names no known queue',
    };
  }
  let reopened = false;
  if (archive.jobId) {
    const job = await deps.store.get(archive.jobId);
    if (!job)
      return { action: 'skipped', queue, jobId: archive.jobId, reason: 'the job no longer exists (expired)' };
    if (job.status === 'SUCCEEDED') {
      return { action: 'skipped', queue, jobId: archive.jobId, reason: 'the job has succeeded since' };
    }
    if (job.status === 'FAILED') {
      reopened = await deps.store.reopen(archive.jobId, queue === 'speaking-finalize' ? 'waiting' : 'queued');
      if (!reopened) {
        return {
          action: 'skipped',
          queue,
          jobId: archive.jobId,
          reason: `the job failed with ${job.error?.code ?? 'an error'}, which a replay cannot change`,
        };
      }
    }
  }
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.queueUrls[queue],
      MessageBody: archive.body,
      ...(Object.keys(archive.messageAttributes ?? {}).length > 0
        ? { MessageAttributes: sendableAttributes(archive.messageAttributes) }
        : {}),
    }),
  );
  return { action: 'sent', queue, jobId: archive.jobId, reopened };
}

async function readArchive(deps: ReplayDeps, key: string): Promise<ArchivedDeadLetter> {
  const text = await deps.s3.getText(deps.dataBucket, key);
  const archive = JSON.parse(text) as ArchivedDeadLetter;
  if (typeof archive.body !== 'string' || typeof archive.queue !== 'string') {
    throw new Error(`s3://${deps.dataBucket}/${key} is not a dead-letter archive (no body or queue)`);
  }
  return archive;
}

function isQueueName(queue: string): queue is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(queue);
}

/** Lambda's record attributes (`stringValue`, `dataType`) in SendMessage's shape. */
function sendableAttributes(
  attributes: ArchivedDeadLetter['messageAttributes'],
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value.stringValue !== undefined)
      out[name] = { DataType: value.dataType, StringValue: value.stringValue };
  }
  return out;
}
