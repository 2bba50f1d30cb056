import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { JobItem } from '../jobs/job-item.js';
import { buildJobEvent } from './build-job-event.js';
import type { JobEventPublisher } from './job-event-publisher.js';
import { decideStreamRecord } from './terminal-transition.js';

/** Loads a result that was too large for the item (`results/<jobId>.json`). */
interface ResultReader {
  get(pointer: string): Promise<unknown>;
}

export interface JobEventsHandlerDeps {
  readonly publisher: JobEventPublisher;
  readonly results: ResultReader;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  /** Called once per published event (a metric in Lambda). */
  readonly onPublished?: (status: 'SUCCEEDED' | 'FAILED') => void;
}

/**
 * The jobs-table stream consumer. Records of a shard arrive in order; they are handled one by one
 * and the first failure stops the batch: its sequence number is reported (partial batch response),
 * so Lambda checkpoints everything before it and redelivers from it. A record that keeps failing is
 * isolated by bisection and, after the mapping's retries, sent to the on-failure destination.
 *
 * Redelivery republishes events that already went out; that is safe because an event is a function
 * of the stored item only (same id and body) and SNS FIFO drops it by its deduplication id.
 */
export function createJobEventsHandler(deps: JobEventsHandlerDeps) {
  const loadResult = async (job: JobItem): Promise<unknown> =>
    job.resultPointer ? deps.results.get(job.resultPointer) : job.result;

  const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
    const decision = decideStreamRecord(record);
    if (decision.action === 'skip') return;
    const { job } = decision;
    const result = decision.status === 'SUCCEEDED' ? await loadResult(job) : undefined;
    const event = buildJobEvent({ job, result });
    await deps.publisher.publish(event);
    deps.onPublished?.(decision.status);
    deps.logger.info('Published job completion event', {
      eventId: event.eventId,
      jobId: event.jobId,
      kind: event.kind,
      status: event.status,
    });
  };

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        await handleRecord(record);
      } catch (error) {
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        deps.logger.error('Job completion event not published; the batch resumes from this record', {
          eventID: record.eventID,
          sequenceNumber,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        // Without a sequence number Lambda cannot checkpoint: fail the whole batch instead.
        if (!sequenceNumber) throw error;
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
