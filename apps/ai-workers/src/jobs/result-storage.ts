import { S3_PREFIXES } from '@bandup/shared';
import type { S3Objects } from '../clients/s3-objects.js';
import type { ResultStore } from './result-store.js';

export { INLINE_RESULT_MAX_BYTES } from './result-store.js';

/**
 * Stores oversized job results as `results/<jobId>.json` in the data bucket (encrypted by the bucket's
 * default SSE-KMS key; see `S3Objects`).
 */
export class ResultStorage implements ResultStore {
  constructor(
    private readonly s3: S3Objects,
    private readonly bucket: string,
  ) {}

  static keyFor(jobId: string): string {
    return `${S3_PREFIXES.results}${jobId}.json`;
  }

  /** Stores the result and returns its key (the item's `resultPointer`). */
  async put(jobId: string, json: string): Promise<string> {
    const key = ResultStorage.keyFor(jobId);
    await this.s3.put(this.bucket, key, json, 'application/json');
    return key;
  }

  async get(key: string): Promise<unknown> {
    return JSON.parse(await this.s3.getText(this.bucket, key)) as unknown;
  }
}
