import { isS3ObjectNotFound } from '../clients/s3-not-found.js';
import type { S3ObjectHead, S3Objects } from '../clients/s3-objects.js';
import { PermanentJobError, RetryableJobError } from '../runtime/errors.js';

/** The upload a job names, as its worker describes it in errors: the noun and the payload field. */
export interface UploadRef {
  readonly key: string;
  readonly noun: 'recording' | 'document';
  readonly field: 'audioKey' | 'documentKey';
}

/** What `HeadObject` said about an upload, with its media type normalised (`Audio/MPEG; x` -> `audio/mpeg`). */
export interface UploadHead extends S3ObjectHead {
  readonly mediaType: string;
}

/**
 * The HEAD of the upload a job names, before anything reads it. An upload that does not exist fails
 * the job at once (`UPLOAD_NOT_FOUND`): redelivery cannot make it appear.
 */
export async function headUpload(s3: S3Objects, bucket: string, upload: UploadRef): Promise<UploadHead> {
  const head = await s3.head(bucket, upload.key).catch((error: unknown) => {
    if (isS3ObjectNotFound(error)) {
      throw new PermanentJobError(
        'UPLOAD_NOT_FOUND',
        `No uploaded ${upload.noun} at "${upload.key}": upload it first`,
        { [upload.field]: upload.key },
      );
    }
    throw error;
  });
  return { ...head, mediaType: (head.contentType ?? '').split(';')[0]!.trim().toLowerCase() };
}

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
