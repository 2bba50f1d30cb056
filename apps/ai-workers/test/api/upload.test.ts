import { UPLOAD_LIMITS, UploadResponseSchema, uploadKeyPattern } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createUploadRoute } from '../../src/api/presign-upload.js';
import { createPostSigner } from '../../src/clients/s3-presigned-post.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, lambdaContext } from '../support/events.js';

// Presigning is local (no request is made); the endpoint only shapes the returned URL.
const signPost = createPostSigner({ region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:9' });
const route = apiHandler(
  logger,
  createUploadRoute({
    signPost,
    dataBucket: 'bandup-test-ai-data',
    now: () => new Date('2026-03-01T10:00:00.000Z'),
  }),
);
const upload = (body: unknown): Promise<APIGatewayProxyResult> =>
  route(apiEvent({ resource: '/v1/uploads', body }), lambdaContext('upload'));

interface Policy {
  expiration: string;
  conditions: unknown[];
}

describe('upload: POST /v1/uploads', () => {
  it('issues a presigned POST whose policy pins key, content type, size range and expiry', async () => {
    const response = await upload({
      userId: 'learner-9',
      kind: 'speaking',
      contentType: 'audio/mpeg',
      sizeBytes: 1234,
    });
    expect(response.statusCode).toBe(200);
    const answer = UploadResponseSchema.parse(JSON.parse(response.body));
    expect(answer.key).toMatch(uploadKeyPattern('speaking'));
    expect(answer.key.startsWith('uploads/speaking/learner-9/')).toBe(true);
    expect(answer.key.endsWith('.mp3')).toBe(true);
    expect(answer.maxBytes).toBe(UPLOAD_LIMITS.speaking.maxBytes);
    expect(answer.fields['Content-Type']).toBe('audio/mpeg');
    expect(answer.fields.key).toBe(answer.key);

    const policy = JSON.parse(Buffer.from(answer.fields.Policy!, 'base64').toString('utf8')) as Policy;
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, UPLOAD_LIMITS.speaking.maxBytes],
        ['eq', '$Content-Type', 'audio/mpeg'],
        { key: answer.key },
        { bucket: 'bandup-test-ai-data' },
      ]),
    );
    // The policy expires when the answer says, 15 minutes after signing.
    expect(policy.expiration).toBe('2026-03-01T10:15:00Z');
    expect(Date.parse(answer.expiresAt)).toBe(Date.parse(policy.expiration));
  });

  it('gives each upload its own key', async () => {
    const request = { userId: 'learner-9', kind: 'documents', contentType: 'application/pdf', sizeBytes: 10 };
    const a = JSON.parse((await upload(request)).body).key;
    const b = JSON.parse((await upload(request)).body).key;
    expect(a).not.toBe(b);
    expect(a).toMatch(/\.pdf$/);
  });

  it('rejects a content type of the other kind, an oversize file and a bad user id, naming each field', async () => {
    const response = await upload({
      userId: '../etc',
      kind: 'documents',
      contentType: 'audio/mpeg',
      sizeBytes: UPLOAD_LIMITS.documents.maxBytes + 1,
    });
    expect(response.statusCode).toBe(400);
    const paths = (JSON.parse(response.body).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['contentType', 'sizeBytes', 'userId']);
  });
});
