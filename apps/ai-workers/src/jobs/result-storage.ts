import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3_PREFIXES } from '@bandup/shared';
import type { ResultStore } from './result-store.js';

export { INLINE_RESULT_MAX_BYTES } from './result-store.js';

/**
 * Stores oversized job results as `results/<jobId>.json` in the data bucket. No explicit SSE header:
 * the bucket's default encryption is SSE-KMS with the data stack's customer managed key, whereas an
 * `aws:kms` header without a key id would select the AWS managed `aws/s3` key instead.
 */
export class ResultStorage implements ResultStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  static keyFor(jobId: string): string {
    return `${S3_PREFIXES.results}${jobId}.json`;
  }

  /** Stores the result and returns its key (the item's `resultPointer`). */
  async put(jobId: string, json: string): Promise<string> {
    const key = ResultStorage.keyFor(jobId);
    const body = Buffer.from(json, 'utf8');
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ContentLength: body.byteLength,
      }),
    );
    return key;
  }

  async get(key: string): Promise<unknown> {
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!answer.Body) throw new Error(`Result object s3://${this.bucket}/${key} has no body`);
    return JSON.parse(await answer.Body.transformToString('utf8')) as unknown;
  }
}
