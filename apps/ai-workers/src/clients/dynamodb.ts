import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/**
 * DynamoDB Document client: plain JS values in and out; `undefined` attributes are dropped so that
 * optional fields never reach the wire as NULLs.
 */
export function createDocumentClient(options: AwsClientOptions = {}): DynamoDBDocumentClient {
  const base = new DynamoDBClient(awsClientConfig(options));
  return DynamoDBDocumentClient.from(options.capture ? options.capture(base) : base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
