import type { JobEvent } from '@bandup/shared';
import type { SnsPublisher } from '../clients/sns.js';

/** Sends a completion event on its way to the backend. */
export interface JobEventPublisher {
  publish(event: JobEvent): Promise<void>;
}

/**
 * Publishes to the SNS FIFO topic the backend's SQS FIFO queue subscribes to (raw delivery).
 * `MessageDeduplicationId` is the event id (`<jobId>:<status>`), so SNS drops a republished event
 * within its five-minute deduplication window; `MessageGroupId` is the job id, so unrelated jobs
 * never wait for each other. The attributes let future subscribers filter without parsing the body.
 */
export class SnsJobEventPublisher implements JobEventPublisher {
  constructor(
    private readonly sns: SnsPublisher,
    private readonly topicArn: string,
  ) {
    if (!topicArn.endsWith('.fifo')) {
      throw new Error(`Job events topic ${topicArn} is not a FIFO topic (its name must end in .fifo)`);
    }
  }

  async publish(event: JobEvent): Promise<void> {
    await this.sns.publish({
      TopicArn: this.topicArn,
      Message: JSON.stringify(event),
      MessageGroupId: event.jobId,
      MessageDeduplicationId: event.eventId,
      MessageAttributes: {
        type: { DataType: 'String', StringValue: event.type },
        kind: { DataType: 'String', StringValue: event.kind },
        schemaVersion: { DataType: 'Number', StringValue: String(event.schemaVersion) },
      },
    });
  }
}
