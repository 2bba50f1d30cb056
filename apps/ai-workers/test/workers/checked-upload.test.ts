import { describe, expect, it } from 'vitest';
import type { S3Objects } from '../../src/clients/s3-objects.js';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';
import { headUpload, readCheckedUpload } from '../../src/workers/checked-upload.js';

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

describe('headUpload', () => {
  const headAnswering = (head: () => Promise<unknown>) => ({ head }) as unknown as S3Objects;

  it('normalises the stored media type and keeps what HEAD said', async () => {
    const s3 = headAnswering(async () => ({
      contentType: ' Audio/MPEG ; charset=x',
      contentLength: 9,
      eTag: '"e"',
    }));
    await expect(
      headUpload(s3, 'b', { key: 'uploads/speaking/u/a.mp3', noun: 'recording', field: 'audioKey' }),
    ).resolves.toEqual({
      contentType: ' Audio/MPEG ; charset=x',
      contentLength: 9,
      eTag: '"e"',
      mediaType: 'audio/mpeg',
    });
    await expect(
      headUpload(
        headAnswering(async () => ({ contentLength: 1 })),
        'b',
        {
          key: 'k',
          noun: 'document',
          field: 'documentKey',
        },
      ),
    ).resolves.toMatchObject({ mediaType: '' });
  });

  it('fails the job at once when the upload does not exist, naming it in its own words', async () => {
    const missing = headAnswering(async () => {
      throw Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    });
    const error = await headUpload(missing, 'b', {
      key: 'uploads/documents/u/d.pdf',
      noun: 'document',
      field: 'documentKey',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error).toMatchObject({
      code: 'UPLOAD_NOT_FOUND',
      message: 'No uploaded document at "uploads/documents/u/d.pdf": upload it first',
      details: { documentKey: 'uploads/documents/u/d.pdf' },
    });
  });

  it('passes other failures on (a denied HEAD is not a missing upload)', async () => {
    const denied = Object.assign(new Error('Forbidden'), {
      name: 'Forbidden',
      $metadata: { httpStatusCode: 403 },
    });
    const s3 = headAnswering(async () => {
      throw denied;
    });
    await expect(headUpload(s3, 'b', { key: 'k', noun: 'recording', field: 'audioKey' })).rejects.toBe(
      denied,
    );
  });
});
