import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bucketUrl, createPostSigner } from '../../src/clients/s3-presigned-post.js';

/**
 * The local POST signer against the SDK's `createPresignedPost` (the reference implementation): for
 * the same credentials, clock, bucket, key, fields and conditions, both must produce the same URL
 * and the same form fields, policy document and signature included, byte for byte.
 */
const SIGNED_AT = new Date('2026-11-29T18:30:05.000Z');
const credentials = {
  accessKeyId: 'AKIDLOCAL',
  secretAccessKey: 'local/secret+key',
  sessionToken: 'token==',
};

afterEach(() => vi.useRealTimers());

async function sdkPost(client: S3Client, request: Parameters<typeof createPresignedPost>[1]) {
  vi.useFakeTimers({ now: SIGNED_AT, toFake: ['Date'] });
  try {
    return await createPresignedPost(client, request);
  } finally {
    vi.useRealTimers();
    client.destroy();
  }
}

describe('createPostSigner', () => {
  const request = {
    bucket: 'bandup-dev-ai-data',
    key: 'uploads/speaking/learner-9/0b6f.mp3',
    fields: { 'Content-Type': 'audio/mpeg' },
    conditions: [
      ['content-length-range', 1, 26_214_400],
      ['eq', '$Content-Type', 'audio/mpeg'],
    ] as const,
    expiresSeconds: 900,
    signedAt: SIGNED_AT,
  };
  const sdkRequest = {
    Bucket: request.bucket,
    Key: request.key,
    Fields: request.fields,
    Conditions: request.conditions.map((condition) => [...condition]) as never,
    Expires: request.expiresSeconds,
  };

  it('signs exactly what the SDK signs, with a session token, at the regional virtual-hosted URL', async () => {
    const ours = createPostSigner({
      region: 'ap-southeast-1',
      endpoint: undefined,
      credentials: () => credentials,
    })(request);
    const sdk = await sdkPost(new S3Client({ region: 'ap-southeast-1', credentials }), sdkRequest);
    expect(ours).toEqual(sdk);
    expect(ours.url).toBe('https://bandup-dev-ai-data.s3.ap-southeast-1.amazonaws.com/');
  });

  it('signs exactly what the SDK signs without a session token, path-style under an endpoint override', async () => {
    const longTerm = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
    const ours = createPostSigner({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: () => longTerm,
    })(request);
    const sdk = await sdkPost(
      new S3Client({
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        forcePathStyle: true,
        credentials: longTerm,
      }),
      sdkRequest,
    );
    expect(ours).toEqual(sdk);
    expect(ours.fields).not.toHaveProperty('X-Amz-Security-Token');
  });

  it('reads the region and Lambda credentials from the environment, and says when they are missing', () => {
    vi.stubEnv('AWS_SESSION_TOKEN', 'env-token');
    try {
      const post = createPostSigner()(request);
      expect(post.fields['X-Amz-Credential']).toBe(
        `${process.env.AWS_ACCESS_KEY_ID}/20261129/${process.env.AWS_REGION}/s3/aws4_request`,
      );
      expect(post.fields['X-Amz-Security-Token']).toBe('env-token');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
      expect(() => createPostSigner()(request)).toThrow(/AWS_SECRET_ACCESS_KEY are not set/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('bucketUrl', () => {
  it('is virtual-hosted for plain names, path-style for dotted names and under an endpoint override', () => {
    expect(bucketUrl('b', 'cn-north-1')).toBe('https://b.s3.cn-north-1.amazonaws.com.cn/');
    expect(bucketUrl('my.bucket', 'eu-west-1')).toBe('https://s3.eu-west-1.amazonaws.com/my.bucket');
    expect(bucketUrl('b', 'eu-west-1', 'http://localhost:4566/')).toBe('http://localhost:4566/b');
  });
});
