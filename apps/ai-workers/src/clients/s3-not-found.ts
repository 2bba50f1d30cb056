/**
 * Whether an S3 error means the object does not exist: `NoSuchKey` from GetObject, `NotFound` from
 * HeadObject (a HEAD answer has no body, so the SDK names the error after the status), or any other
 * 404 about the object. A missing bucket (`NoSuchBucket`) is a deployment fault, not a missing object:
 * it is thrown on for the caller to classify rather than reported as, say, a missing upload.
 */
export function isS3ObjectNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
