import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsHttpClient, AwsServiceError, createAwsClient, SNS, xmlField } from './aws-http-client.js';

/** One `Publish`, in the SNS API's own field names (string and number attributes only). */
export interface PublishInput {
  readonly TopicArn: string;
  readonly Message: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly MessageAttributes?: Readonly<
    Record<string, { DataType: 'String' | 'Number'; StringValue: string }>
  >;
}

/** The Query protocol's form for `Publish` (`MessageAttributes.entry.N.*` for each attribute). */
export function publishForm(input: PublishInput): string {
  const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: input.TopicArn });
  form.set('Message', input.Message);
  if (input.MessageGroupId !== undefined) form.set('MessageGroupId', input.MessageGroupId);
  if (input.MessageDeduplicationId !== undefined)
    form.set('MessageDeduplicationId', input.MessageDeduplicationId);
  Object.entries(input.MessageAttributes ?? {}).forEach(([name, value], index) => {
    const entry = `MessageAttributes.entry.${index + 1}`;
    form.set(`${entry}.Name`, name);
    form.set(`${entry}.Value.DataType`, value.DataType);
    form.set(`${entry}.Value.StringValue`, value.StringValue);
  });
  return form.toString();
}

/**
 * SNS `Publish` over the light client (`aws-http-client.ts`, Query protocol), so `job-events` loads
 * no SDK client at cold start (`AWS_ENDPOINT_URL_SNS` points it at a fake in tests).
 */
export class SnsPublisher {
  constructor(readonly client: AwsHttpClient) {}

  async publish(input: PublishInput): Promise<{ MessageId: string }> {
    const answer = await this.client.sendRest('Publish', { path: '/', body: publishForm(input) });
    const messageId = xmlField(answer, 'MessageId');
    if (!messageId) {
      throw new AwsServiceError('InvalidResponse', 'SNS answered Publish without a MessageId', {
        fault: 'server',
        metadata: {},
      });
    }
    return { MessageId: messageId };
  }
}

export function createSnsClient(options: AwsClientOptions = {}): SnsPublisher {
  return new SnsPublisher(createAwsClient(SNS, options));
}
