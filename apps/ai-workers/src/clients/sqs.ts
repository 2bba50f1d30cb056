import { SQSClient } from '@aws-sdk/client-sqs';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/** SQS client for enqueueing jobs. The SDK checks the MD5 of every sent body against SQS's answer. */
export function createSqsClient(options: AwsClientOptions = {}): SQSClient {
  const client = new SQSClient(awsClientConfig(options));
  return options.capture ? options.capture(client) : client;
}
