import { S3Client } from '@aws-sdk/client-s3';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

export interface S3ClientOptions extends AwsClientOptions {
  /** Path-style addressing: needed for loopback endpoints, where `<bucket>.127.0.0.1` cannot resolve. */
  readonly forcePathStyle?: boolean;
}

/** S3 client for the AI data bucket. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const client = new S3Client({
    ...awsClientConfig(options),
    forcePathStyle: options.forcePathStyle ?? process.env.AWS_S3_FORCE_PATH_STYLE === 'true',
  });
  return options.capture ? options.capture(client) : client;
}
