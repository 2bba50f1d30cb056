import type { Logger } from '@aws-lambda-powertools/logger';
import {
  deadLetterQueueName,
  type JobKind,
  parseTranscriptionJobName,
  QUEUE_NAMES,
  type QueueName,
  S3_PREFIXES,
} from '@bandup/shared';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { S3Objects } from '../clients/s3-objects.js';
import type { JobStore } from '../jobs/job-store.js';
import { jobMetrics } from '../runtime/job-metrics.js';
import { processRecords } from '../runtime/process-records.js';
import { recoverJobId } from '../runtime/sqs-job-handler.js';

export interface DeadLetterDeps {
  readonly store: Pick<JobStore, 'get' | 'fail'>;
  readonly s3: S3Objects;
  readonly dataBucket: string;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** What the archive object holds: everything needed to send the message again, unchanged. */
export interface ArchivedDeadLetter {
  readonly messageId: string;
  /** Source queue (catalogue name), e.g. `writing`; `unknown` when the ARN is not one of ours. */
  readonly queue: QueueName | 'unknown';
  readonly eventSourceARN: string;
  readonly jobId: string | null;
  readonly body: string;
  readonly attributes: SQSRecord['attributes'];
  readonly messageAttributes: SQSRecord['messageAttributes'];
  readonly archivedAt: string;
}

/** `dead-letters/<queue>/<jobId|unknown>/<messageId>.json` */
export function deadLetterKey(queue: string, jobId: string | null, messageId: string): string {
  return `${S3_PREFIXES.deadLetters}${queue}/${jobId ?? 'unknown'}/${messageId}.json`;
}

/** The catalogue queue whose DLQ an event source ARN names (`arn:...:bandup-dev-writing-dlq` -> `writing`). */
export function queueOfDeadLetterArn(arn: string): QueueName | undefined {
  const name = arn.split(':').pop() ?? '';
  // Longest first, so that `speaking-finalize-dlq` is never taken for `...-dlq` of a shorter name.
  const byLength = [...QUEUE_NAMES].sort((a, b) => b.length - a.length);
  return byLength.find(
    (queue) => name === deadLetterQueueName(queue) || name.endsWith(`-${deadLetterQueueName(queue)}`),
  );
}

const KIND_OF_QUEUE: Readonly<Record<QueueName, JobKind>> = {
  writing: 'writing',
  speaking: 'speaking',
  'speaking-finalize': 'speaking',
  flashcards: 'flashcards',
};

/**
 * The job a dead message belongs to: job messages carry `jobId`; speaking-finalize messages are
 * Transcribe state-change events whose transcription job name embeds it. Malformed bodies yield null.
 */
export function jobIdOfDeadMessage(queue: QueueName | undefined, body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const direct = recoverJobId(parsed);
  if (direct) return direct;
  if (queue === 'speaking-finalize') {
    const name = (parsed as { detail?: { TranscriptionJobName?: unknown } } | null)?.detail
      ?.TranscriptionJobName;
    if (typeof name === 'string') {
      try {
        return parseTranscriptionJobName(name).jobId;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The `dead-letter` function, fed by the four DLQs. For each dead message: archive it to S3 first
 * (so an operator can replay it; see the package README), then mark its job FAILED
 * `RETRIES_EXHAUSTED` with the reason the last attempt gave, unless the job already finished.
 * A record whose archive or job update fails is reported failed and retried from the DLQ; the DLQ
 * depth alarm keeps telling ops while anything sits there.
 */
export function createDeadLetterHandler(deps: DeadLetterDeps) {
  const now = deps.now ?? (() => new Date());
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const queue = queueOfDeadLetterArn(record.eventSourceARN);
    const jobId = jobIdOfDeadMessage(queue, record.body);
    const key = deadLetterKey(queue ?? 'unknown', jobId, record.messageId);
    const log = deps.logger.createChild({
      persistentKeys: { messageId: record.messageId, queue: queue ?? 'unknown', ...(jobId ? { jobId } : {}) },
    });
    const archive: ArchivedDeadLetter = {
      messageId: record.messageId,
      queue: queue ?? 'unknown',
      eventSourceARN: record.eventSourceARN,
      jobId,
      body: record.body,
      attributes: record.attributes,
      messageAttributes: record.messageAttributes,
      archivedAt: now().toISOString(),
    };
    const json = JSON.stringify(archive, null, 2);
    await deps.s3.put(deps.dataBucket, key, json, 'application/json');
    const kind = queue ? KIND_OF_QUEUE[queue] : 'unknown';
    jobMetrics.deadLetter(kind);
    if (!jobId) {
      log.error('Dead message with no recoverable job id archived', { archiveKey: key });
      return;
    }
    const job = await deps.store.get(jobId);
    if (!job) {
      log.warn('Dead message archived; its job no longer exists', { archiveKey: key });
      return;
    }
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED') {
      log.info('Dead message archived; its job had already finished', {
        status: job.status,
        archiveKey: key,
      });
      return;
    }
    const receives = record.attributes.ApproximateReceiveCount;
    const lastError = job.lastAttemptError;
    // Every attempt ran out of function time: say so, rather than a generic "retries exhausted".
    const outOfTime = job.lastAttemptCode === 'DEADLINE_EXCEEDED';
    // The learner-facing message stays generic; the last error (service text, possibly with ARNs)
    // stays in `details` and the logs, which the status API never serves.
    const changed = await deps.store.fail(
      jobId,
      {
        code: outOfTime ? 'DEADLINE_EXCEEDED' : 'RETRIES_EXHAUSTED',
        message: outOfTime
          ? `The job could not be finished within the time limit on any of its ${receives} attempts`
          : `The job could not be completed after ${receives} attempts`,
        details: {
          queue: queue ?? 'unknown',
          messageId: record.messageId,
          receiveCount: Number(receives),
          archiveKey: key,
          ...(lastError ? { lastAttemptError: lastError } : {}),
        },
      },
      // A live run (a duplicate's lease) may still finish the job: not failed under it.
      { unlessLeased: true },
    );
    if (changed) jobMetrics.failed(job.kind);
    else log.warn('Job not failed: a live run holds it or it finished meanwhile', { archiveKey: key });
    log.error('Job failed: its message exhausted its retries', {
      archiveKey: key,
      lastAttemptError: lastError,
    });
  };

  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processRecords(event, context, handleRecord, deps.logger);
}
