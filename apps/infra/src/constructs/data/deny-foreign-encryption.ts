import type { PolicyStatement } from '../security/iam/policy-document.js';

/**
 * Refuses uploads that ask for any encryption other than SSE-KMS with the bucket's key (SSE-S3,
 * DSSE, SSE-C or another KMS key). Requests that name no encryption get the bucket default, which is
 * that key, so clients (presigned POST, the workers, Transcribe) need not repeat it.
 */
export function denyForeignEncryption(bucketArn: string, keyArn: string): PolicyStatement[] {
  const objects = [`${bucketArn}/*`];
  return [
    {
      sid: 'DenyOtherEncryption',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      },
    },
    {
      sid: 'DenyOtherKmsKey',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      },
    },
    {
      sid: 'DenyCustomerProvidedKeys',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
    },
  ];
}
