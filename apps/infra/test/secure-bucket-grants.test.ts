import { describe, expect, it } from 'vitest';
import { SecureBucket } from '../src/constructs/data/secure-bucket.js';
import { ServiceRole } from '../src/constructs/security/iam/service-role.js';
import { EncryptionKey } from '../src/constructs/security/kms-key.js';
import type { BandupStack } from '../src/stacks/bandup-stack.js';
import { synthBareStack, TEST_ACCOUNT, TEST_REGION } from './bare-stack-fixture.js';
import { evaluate } from './iam-evaluator.js';
import type { Json } from './network-fixture.js';

type Grant = (bucket: SecureBucket, role: ServiceRole) => void;

/** The role's synthesized statements after `grant`, with the key and bucket ARNs as their references. */
function statementsAfter(grant: Grant, encryption: 'kms' | 'sse-s3' = 'kms') {
  const build = (stack: BandupStack) => {
    const key = new EncryptionKey(stack, 'data-key', {
      accountId: TEST_ACCOUNT,
      region: TEST_REGION,
      alias: 'bandup-test-data',
      description: 'test data key',
      viaServices: ['s3'],
    });
    const bucket = new SecureBucket(stack, 'uploads', {
      bucketName: 'bandup-test-uploads-111111111111',
      encryption: encryption === 'kms' ? key : 'sse-s3',
      noncurrentVersionExpirationDays: 7,
      preventDestroy: false,
    });
    const role = new ServiceRole(stack, 'worker', {
      name: 'bandup-test-worker',
      description: 'test',
      assumedBy: 'lambda.amazonaws.com',
    });
    grant(bucket, role);
  };
  const doc = synthBareStack(build);
  const keyArn = `\${${'aws_kms_key'}.${Object.keys(doc.resource.aws_kms_key)[0]}.arn}`;
  const bucketArn = `\${aws_s3_bucket.${Object.keys(doc.resource.aws_s3_bucket)[0]}.arn}`;
  const policy = Object.values(doc.resource.aws_iam_role_policy as Record<string, Json>)[0] as Json;
  const statements = JSON.parse(policy.policy as string).Statement as Json[];
  const may = (action: string, resource: string) => evaluate(statements, { action, resource }) === 'allowed';
  return { statements, keyArn, bucketArn, may };
}

describe('SecureBucket grants include what the grantee needs of the bucket key', () => {
  it('grantRead: get objects under the prefix and decrypt them with the key, nothing more of the key', () => {
    const { may, keyArn, bucketArn } = statementsAfter((b, r) => b.grantRead(r, 'results/'));
    expect(may('s3:GetObject', `${bucketArn}/results/a.json`)).toBe(true);
    expect(may('s3:GetObject', `${bucketArn}/uploads/a.json`)).toBe(false);
    expect(may('kms:Decrypt', keyArn)).toBe(true);
    expect(may('kms:GenerateDataKey', keyArn)).toBe(false);
    expect(may('kms:Encrypt', keyArn)).toBe(false);
  });

  it('grantWrite: put objects and generate data keys, plus decrypt (S3 decrypts the parts of multipart uploads)', () => {
    const { may, keyArn, bucketArn } = statementsAfter((b, r) => b.grantWrite(r, 'uploads/'));
    expect(may('s3:PutObject', `${bucketArn}/uploads/a.mp3`)).toBe(true);
    expect(may('s3:GetObject', `${bucketArn}/uploads/a.mp3`)).toBe(false);
    expect(may('kms:GenerateDataKey', keyArn)).toBe(true);
    expect(may('kms:Decrypt', keyArn)).toBe(true);
  });

  it('grantReadWrite: one key statement (full use), the read grant adds no redundant decrypt statement', () => {
    const { statements, may, keyArn } = statementsAfter((b, r) => {
      b.grantRead(r, 'results/');
      b.grantReadWrite(r);
    });
    expect(may('kms:GenerateDataKey', keyArn)).toBe(true);
    expect(statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn))).toHaveLength(1);
  });

  it('an SSE-S3 bucket (ALB and access logs) grants nothing on any key', () => {
    const { statements } = statementsAfter((b, r) => b.grantReadWrite(r), 'sse-s3');
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('kms:'))).toEqual(
      [],
    );
  });
});
