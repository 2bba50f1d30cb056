import { describe, expect, it } from 'vitest';
import type { AwsHttpClient, RawAnswer, RestCall } from '../../src/clients/aws-http-client.js';
import { isS3ObjectNotFound } from '../../src/clients/s3-not-found.js';
import { createS3Objects, S3Objects } from '../../src/clients/s3-objects.js';
import { type FakeHttpServer, startFakeHttpServer } from '../fakes/fake-http-server.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { resignedAuthorization, SIGNING_CREDENTIALS } from '../support/sigv4-resign.js';

/**
 * S3's object calls over the light client: what goes on the wire (signed as S3 verifies it, keys
 * encoded once), the answers read back, and the SDK-shaped errors the workers classify.
 */
const CREDENTIALS = SIGNING_CREDENTIALS;
const REGION = 'ap-southeast-1';

const opened = closedAfterEach();
const fakeS3 = async (): Promise<FakeS3> => opened(await startFakeS3());
const fakeServer = async (routes: Parameters<typeof startFakeHttpServer>[0]): Promise<FakeHttpServer> =>
  opened(await startFakeHttpServer(routes));
const objectsAt = (url: string, options: { maxAttempts?: number } = {}): S3Objects =>
  opened(
    createS3Objects({
      region: REGION,
      endpoint: url,
      forcePathStyle: true,
      credentials: CREDENTIALS,
      ...options,
    }),
  );

const s3Error = (status: number, code: string, message = `${code} happened`) => ({
  status,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'REQ123' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>REQ123</RequestId></Error>`,
});

describe('S3Objects against a fake S3', () => {
  it('puts an object with its content type, then heads and gets it back', async () => {
    const s3 = await fakeS3();
    const objects = objectsAt(s3.url);
    await objects.put('bucket', 'results/j-1.json', '{"band":7.5,"note":"Đạt"}', 'application/json');

    expect(s3.get('bucket', 'results/j-1.json')).toMatchObject({ contentType: 'application/json' });
    const head = await objects.head('bucket', 'results/j-1.json');
    const bytes = Buffer.byteLength('{"band":7.5,"note":"Đạt"}');
    expect(head).toEqual({
      contentType: 'application/json',
      contentLength: bytes,
      eTag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
    const object = await objects.get('bucket', 'results/j-1.json');
    expect(object.body.toString('utf8')).toBe('{"band":7.5,"note":"Đạt"}');
    expect(object.contentLength).toBe(bytes);
    expect(object.eTag).toBe(head.eTag);
    await expect(objects.getText('bucket', 'results/j-1.json')).resolves.toBe('{"band":7.5,"note":"Đạt"}');
  });

  it('reads binary objects byte for byte', async () => {
    const s3 = await fakeS3();
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80, 0x0a]);
    s3.put('bucket', 'uploads/documents/u-1/doc.pdf', { body: bytes, contentType: 'application/pdf' });
    const object = await objectsAt(s3.url).get('bucket', 'uploads/documents/u-1/doc.pdf');
    expect(object.body.equals(bytes)).toBe(true);
    expect(object.contentType).toBe('application/pdf');
  });

  it('signs every call the way S3 verifies it: method, once-encoded key path, payload hash', async () => {
    const s3 = await fakeS3();
    const objects = objectsAt(s3.url);
    const key = "uploads/documents/u 1/Bài (đọc)!'*.txt";
    await objects.put('bucket', key, 'hello', 'text/plain');
    await objects.head('bucket', key);
    await objects.get('bucket', key);
    const encodedPath = '/bucket/uploads/documents/u%201/B%C3%A0i%20%28%C4%91%E1%BB%8Dc%29%21%27%2A.txt';
    expect(s3.requests.map((request) => [request.method, request.path])).toEqual([
      ['PUT', `/bucket/${key}`],
      ['HEAD', `/bucket/${key}`],
      ['GET', `/bucket/${key}`],
    ]);
    for (const request of s3.requests) {
      // Encoded once, RFC 3986 style (`(` as `%28`), as the SDK sends a key.
      expect(request.rawPath).toBe(encodedPath);
      expect(request.headers['x-amz-security-token']).toBe('local-token');
      expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      const resigned = await resignedAuthorization(request, {
        serverUrl: s3.url,
        service: 's3',
        region: REGION,
        credentials: CREDENTIALS,
        path: encodedPath,
      });
      expect(resigned).toBe(request.headers.authorization);
    }
    const [put] = s3.requests;
    expect(put!.headers['content-type']).toBe('text/plain');
    expect(put!.headers['content-length']).toBe('5');
    // No SSE header: the bucket's default SSE-KMS key applies (an `aws:kms` header alone would pick aws/s3).
    expect(put!.headers['x-amz-server-side-encryption']).toBeUndefined();
  });

  it('names a missing key NoSuchKey on GET and NotFound on HEAD (no body), both "not found"', async () => {
    const s3 = await fakeS3();
    const objects = objectsAt(s3.url);
    const onGet = await objects.get('bucket', 'missing').catch((error: unknown) => error);
    expect(onGet).toMatchObject({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 } });
    expect(isS3ObjectNotFound(onGet)).toBe(true);
    const onHead = await objects.head('bucket', 'missing').catch((error: unknown) => error);
    expect(onHead).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    expect(isS3ObjectNotFound(onHead)).toBe(true);
    expect(await objects.exists('bucket', 'missing')).toBe(false);
    s3.put('bucket', 'present', { body: Buffer.from('x'), contentType: 'text/plain' });
    expect(await objects.exists('bucket', 'present')).toBe(true);
  });

  it('sends If-Match, and a changed object fails PreconditionFailed rather than returning the new bytes', async () => {
    const server = await fakeServer({
      'GET /bucket/key': (request) =>
        request.headers['if-match'] === '"v1"'
          ? s3Error(
              412,
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
            )
          : { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: 'v2' },
    });
    const objects = objectsAt(server.url);
    const error = await objects.get('bucket', 'key', { ifMatch: '"v1"' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      $fault: 'client',
      $metadata: { httpStatusCode: 412, requestId: 'REQ123', attempts: 1 },
    });
    // Not retried: the object changed, and asking again cannot change that.
    expect(server.requests).toHaveLength(1);
    await expect(objects.get('bucket', 'key')).resolves.toMatchObject({ body: Buffer.from('v2') });
    expect(server.requests[1]!.headers['if-match']).toBeUndefined();
  });

  it('does not take a missing bucket or a denied call for a missing object', async () => {
    const server = await fakeServer({
      'GET /gone/.*': () => s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'),
      'HEAD /denied/.*': () => ({ status: 403 }),
    });
    const objects = objectsAt(server.url);
    const gone = await objects.get('gone', 'key').catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    expect(isS3ObjectNotFound(gone)).toBe(false);
    const denied = await objects.head('denied', 'key').catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'Forbidden', $metadata: { httpStatusCode: 403 } });
    await expect(objects.exists('denied', 'key')).rejects.toMatchObject({ name: 'Forbidden' });
  });

  it('retries SlowDown and 5xx the way the SDK does, re-sending the same body', async () => {
    let calls = 0;
    const server = await fakeServer({
      'PUT /bucket/key': () => {
        calls += 1;
        if (calls === 1) return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
        if (calls === 2) return s3Error(500, 'InternalError');
        return { status: 200, headers: { etag: '"e"' } };
      },
    });
    await objectsAt(server.url).put('bucket', 'key', '{"a":1}', 'application/json');
    expect(server.requests.map((request) => request.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('gives up after the attempts it is allowed, with the last error', async () => {
    const server = await fakeServer({ 'GET /bucket/key': () => s3Error(503, 'SlowDown') });
    const error = await objectsAt(server.url, { maxAttempts: 2 })
      .get('bucket', 'key')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SlowDown', $fault: 'server', $metadata: { attempts: 2 } });
    expect(server.requests).toHaveLength(2);
  });
});

describe('S3Objects addressing', () => {
  /** A client that records the calls instead of sending them (virtual hosts cannot resolve on loopback). */
  function recording(): { objects: S3Objects; calls: (RestCall & { operation: string })[] } {
    const calls: (RestCall & { operation: string })[] = [];
    const client = {
      request: async (operation: string, call: RestCall): Promise<RawAnswer> => {
        calls.push({ operation, ...call });
        return { headers: { 'content-length': '0' }, body: Buffer.alloc(0) };
      },
    } as unknown as AwsHttpClient;
    return { objects: new S3Objects(client, { forcePathStyle: false }), calls };
  }

  it('puts a DNS-compatible bucket in the host (virtual-hosted style), the key in the path', async () => {
    const { objects, calls } = recording();
    await objects.head('bandup-prod-uploads-123456789012', 'uploads/speaking/u-1/a b.mp3');
    expect(calls).toEqual([
      {
        operation: 'HeadObject',
        method: 'HEAD',
        path: '/uploads/speaking/u-1/a%20b.mp3',
        hostPrefix: 'bandup-prod-uploads-123456789012.',
        body: '',
      },
    ]);
  });

  it('falls back to path style for a dotted name, which the *.s3 TLS certificate cannot cover', async () => {
    const { objects, calls } = recording();
    await objects.put('my.bucket', 'k.json', '{}', 'application/json');
    await objects.get('UPPER', 'k.json');
    expect(calls.map((call) => [call.path, call.hostPrefix])).toEqual([
      ['/my.bucket/k.json', undefined],
      ['/UPPER/k.json', undefined],
    ]);
    expect(calls[0]).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/json' } });
  });

  it('uses path style when told to, or when AWS_S3_FORCE_PATH_STYLE is true (local fakes)', async () => {
    const server = await fakeServer({
      'HEAD /bucket/key': () => ({ status: 200, headers: { 'content-length': '3' } }),
    });
    process.env.AWS_S3_FORCE_PATH_STYLE = 'true';
    try {
      const objects = opened(
        createS3Objects({ region: REGION, endpoint: server.url, credentials: CREDENTIALS }),
      );
      await expect(objects.head('bucket', 'key')).resolves.toMatchObject({ contentLength: 3 });
    } finally {
      delete process.env.AWS_S3_FORCE_PATH_STYLE;
    }
    expect(server.requests[0]!.headers.host).toBe(new URL(server.url).host);
  });
});
