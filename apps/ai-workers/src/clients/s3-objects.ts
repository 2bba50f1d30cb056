import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isS3ObjectNotFound } from './s3-not-found.js';

/** Whether an object exists (`HeadObject`); any other error is thrown for the caller to classify. */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isS3ObjectNotFound(error)) return false;
    throw error;
  }
}
