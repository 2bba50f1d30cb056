import type { S3ObjectHead, S3Objects } from '../clients/s3-objects.js';
import { RetryableJobError } from '../runtime/errors.js';

/**
 * Reads exactly the upload whose type and size were checked (`head`): `If-Match` on its ETag, so an
 * object replaced in between (the learner uploaded again under the same key) is never processed
 * unchecked. That race is retried, not failed: the next delivery checks the new object from the start.
 */
export async function readCheckedUpload(
  s3: S3Objects,
  bucket: string,
  key: string,
  head: S3ObjectHead,
): Promise<Buffer> {
  try {
    const { body } = await s3.get(bucket, key, head.eTag ? { ifMatch: head.eTag } : {});
    return body;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'PreconditionFailed') {
      throw new RetryableJobError(
        `The upload at "${key}" changed while it was being checked; the next attempt checks it again`,
        { cause: error },
      );
    }
    throw error;
  }
}
