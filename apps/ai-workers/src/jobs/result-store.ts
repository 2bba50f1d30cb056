/**
 * Results bigger than this (serialized JSON, bytes) go to S3 instead of the item. DynamoDB's item
 * limit is 400 KB including attribute names and the rest of the job; 350 KB leaves room for both.
 */
export const INLINE_RESULT_MAX_BYTES = 350 * 1024;

/** Where the job store keeps results too large for the item (`ResultStorage`: the data bucket). */
export interface ResultStore {
  /** Stores the result and returns its key (the item's `resultPointer`). */
  put(jobId: string, json: string): Promise<string>;
  get(key: string): Promise<unknown>;
}
