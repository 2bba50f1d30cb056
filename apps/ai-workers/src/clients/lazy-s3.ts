import type { S3Client } from '@aws-sdk/client-s3';
import { lazy } from './lazy.js';
import type { S3ClientOptions } from './s3.js';

/**
 * An S3 client created (and its ~120 KiB of SDK code loaded) on first use. For functions where only
 * some requests touch S3: `status` reads a result from S3 only when it was too large for the item,
 * `submit` checks an upload only for Speaking and flashcard jobs.
 */
export function lazyS3Client(options: S3ClientOptions = {}): () => Promise<S3Client> {
  return lazy(async () => (await import('./s3.js')).createS3Client(options));
}
