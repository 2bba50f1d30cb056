import { SNSClient } from '@aws-sdk/client-sns';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/** SNS client for publishing job completion events (`AWS_ENDPOINT_URL_SNS` points it at a fake in tests). */
export function createSnsClient(options: AwsClientOptions = {}): SNSClient {
  const client = new SNSClient(awsClientConfig(options));
  return options.capture ? options.capture(client) : client;
}
