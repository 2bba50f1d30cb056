import { describe, expect, it } from 'vitest';
import type { S3Objects } from '../../src/clients/s3-objects.js';
import { RetryableJobError } from '../../src/runtime/errors.js';
import { readCheckedUpload } from '../../src/workers/checked-upload.js';

/** A stub with only `get`, recording the conditions it was called with. */
function s3Answering(get: (conditions: { ifMatch?: string }) => Promise<Buffer>) {
  const calls: { ifMatch?: string }[] = [];
  const s3 = {
    get: async (_bucket: string, _key: string, conditions: { ifMatch?: string } = {}) => {
      calls.push(conditions);
      return { body: await get(conditions), contentLength: 0 };
    },
  } as unknown as S3Objects;
  return { s3, calls };
}

describe('readCheckedUpload', () => {
  it('reads with If-Match on the checked ETag, and without a condition when S3 gave none', async () => {
    const { s3, calls } = s3Answering(async () => Buffer.from('bytes'));
    await expect(readCheckedUpload(s3, 'b', 'k', { contentLength: 5, eTag: '"e1"' })).resolves.toEqual(
      Buffer.from('bytes'),
    );
    await readCheckedUpload(s3, 'b', 'k', { contentLength: 5 });
    expect(calls).toEqual([{ ifMatch: '"e1"' }, {}]);
  });

  it('passes any other failure on unchanged (a deleted object, a denied read) for the runner to classify', async () => {
    const gone = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    const { s3 } = s3Answering(async () => {
      throw gone;
    });
    await expect(readCheckedUpload(s3, 'b', 'k', { contentLength: 5, eTag: '"e1"' })).rejects.toBe(gone);
    const { s3: failing } = s3Answering(async () => {
      throw 'not an error object';
    });
    await expect(readCheckedUpload(failing, 'b', 'k', { contentLength: 5 })).rejects.toBe(
      'not an error object',
    );
  });

  it('turns a replaced object (PreconditionFailed) into a retry that keeps the cause', async () => {
    const changed = Object.assign(
      new Error('At least one of the pre-conditions you specified did not hold'),
      {
        name: 'PreconditionFailed',
      },
    );
    const { s3 } = s3Answering(async () => {
      throw changed;
    });
    const error = await readCheckedUpload(s3, 'b', 'uploads/x.pdf', { contentLength: 5, eTag: '"e1"' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetryableJobError);
    expect((error as Error).cause).toBe(changed);
  });
});
