import { createHash } from 'node:crypto';
import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsHttpClient, AwsServiceError, createAwsClient, SQS } from './aws-http-client.js';

/** One message for `SendMessage`, in the SQS API's own field names. */
export interface OutgoingMessage {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly MessageAttributes?: Readonly<Record<string, { DataType: 'String'; StringValue: string }>>;
}

/** What the submit path needs of SQS: sending one message. */
export interface MessageSender {
  sendMessage(message: OutgoingMessage): Promise<{ MessageId: string }>;
}

/**
 * `SendMessage` over the light JSON-protocol client (`aws-http-client.ts`), so the API function that
 * enqueues jobs does not load the SDK's SQS client at every cold start. Like the SDK, it checks the
 * MD5 of the body SQS stored against the body sent: a mismatch means the message was corrupted on
 * the way and must not be taken as queued.
 */
export class SqsSender implements MessageSender {
  constructor(readonly client: AwsHttpClient) {}

  async sendMessage(message: OutgoingMessage): Promise<{ MessageId: string }> {
    const answer = await this.client.send<{ MessageId?: string; MD5OfMessageBody?: string }>(
      'SendMessage',
      message,
    );
    const expected = createHash('md5').update(message.MessageBody, 'utf8').digest('hex');
    if (answer.MD5OfMessageBody !== expected || !answer.MessageId) {
      throw new AwsServiceError(
        'InvalidChecksumError',
        `SQS answered MD5 ${String(answer.MD5OfMessageBody)} for a body whose MD5 is ${expected}; the message may not be queued intact`,
        { fault: 'server', metadata: {} },
      );
    }
    return { MessageId: answer.MessageId };
  }
}

/** The sender of a function; `capture` instruments its client (e.g. `traceAwsCalls`). */
export function createSqsSender(options: AwsClientOptions = {}): SqsSender {
  return new SqsSender(createAwsClient(SQS, options));
}
