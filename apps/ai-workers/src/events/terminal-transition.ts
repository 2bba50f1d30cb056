import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isTerminalJobStatus, type TerminalJobStatus } from '@bandup/shared';
import type { DynamoDBRecord } from 'aws-lambda';
import type { JobItem } from '../jobs/job-item.js';

/** What one stream record of the jobs table means for the completion events. */
export type StreamRecordDecision =
  /** The job moved from a non-terminal state (or from nothing) to SUCCEEDED or FAILED: publish. */
  | { readonly action: 'publish'; readonly status: TerminalJobStatus; readonly job: JobItem }
  /** Anything else: a non-terminal write, a write to an already terminal job, a TTL deletion. */
  | { readonly action: 'skip'; readonly reason: string };

/** A stream record that cannot be read as a job (a wrong stream view type, a malformed image). */
export class MalformedStreamRecordError extends Error {
  override readonly name = 'MalformedStreamRecordError';
}

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/** The DynamoDB-JSON image as a plain item (numbers as numbers, maps as objects). */
function itemOf(image: StreamImage): Record<string, unknown> {
  return unmarshall(image as Parameters<typeof unmarshall>[0]);
}

/**
 * Decides whether a jobs-table stream record is a terminal transition. Job status only changes
 * through the job store's conditional writes, so a job reaches a terminal state in exactly one
 * write: that write's record has a non-terminal (or no) old status and a terminal new one. Every
 * redelivery of that record decides the same way; every later write to the terminal job (none
 * today) has a terminal old status and is skipped.
 *
 * A FAILED job marked `enqueueFailed` is skipped: the submit call that created it answered 503,
 * so the caller holds no job to be told about, and a retry of the same request re-creates it.
 */
export function decideStreamRecord(record: DynamoDBRecord): StreamRecordDecision {
  const where = `stream record ${record.eventID ?? '(no id)'} (${record.eventName ?? 'no event name'})`;
  if (record.eventName === 'REMOVE') return { action: 'skip', reason: 'item removed (TTL expiry)' };
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') {
    throw new MalformedStreamRecordError(`${where}: unknown event name`);
  }
  const change = record.dynamodb;
  if (!change?.NewImage) {
    throw new MalformedStreamRecordError(
      `${where}: no NewImage (the stream view type must be NEW_AND_OLD_IMAGES, got ${change?.StreamViewType ?? 'none'})`,
    );
  }
  if (record.eventName === 'MODIFY' && !change.OldImage) {
    throw new MalformedStreamRecordError(
      `${where}: MODIFY without OldImage (the stream view type must be NEW_AND_OLD_IMAGES, got ${change.StreamViewType ?? 'none'})`,
    );
  }
  const after = itemOf(change.NewImage);
  const before = change.OldImage ? itemOf(change.OldImage) : undefined;
  if (typeof after.jobId !== 'string' || typeof after.status !== 'string') {
    throw new MalformedStreamRecordError(`${where}: the new image has no jobId or status`);
  }
  if (!isTerminalJobStatus(after.status))
    return { action: 'skip', reason: `status ${after.status} is not terminal` };
  if (before && isTerminalJobStatus(before.status)) {
    return { action: 'skip', reason: `already ${String(before.status)} before this write` };
  }
  if (after.status === 'FAILED' && after.enqueueFailed === true) {
    return { action: 'skip', reason: 'failed before it was enqueued (the submit call answered 503)' };
  }
  return { action: 'publish', status: after.status, job: after as unknown as JobItem };
}
