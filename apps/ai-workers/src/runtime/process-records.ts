import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** Handles one SQS record; throwing reports the record as failed so SQS redelivers it. */
export type RecordHandler = (record: SQSRecord, context: Context) => Promise<void>;

/**
 * Runs `handleRecord` over every record of an SQS batch (concurrently) and answers with a partial
 * batch response (`ReportBatchItemFailures` on the event source mapping): only the records that
 * threw are redelivered. A batch where every record failed is answered the same way rather than by
 * throwing, so a whole-batch failure is not mistaken for a function error.
 *
 * This is the low-level entry for functions whose records are not job messages (speaking-finalize
 * reads EventBridge events, dead-letter reads dead messages); job workers use `createSqsJobHandler`.
 */
export async function processRecords(
  event: SQSEvent,
  context: Context,
  handleRecord: RecordHandler,
  logger: Logger,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      try {
        await handleRecord(record, context);
      } catch (error) {
        logger.warn('Record failed; SQS will redeliver it', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error as Error,
        });
        throw error;
      }
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
}
