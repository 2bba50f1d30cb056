import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isS3ObjectNotFound } from '../../src/clients/s3-not-found.js';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import { FAKE_CREDENTIALS } from '../fakes/fake-bedrock.js';
import { type FakeHttpServer, startFakeHttpServer } from '../fakes/fake-http-server.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';

/** What the workers' S3 client throws for each answer S3 gives, classified by the one helper. */
let s3: FakeS3;
let noBucket: FakeHttpServer;
const client = (endpoint: string) =>
  createS3Objects({
    region: 'ap-southeast-1',
    endpoint,
    forcePathStyle: true,
    credentials: FAKE_CREDENTIALS,
  });

const thrownBy = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

beforeAll(async () => {
  s3 = await startFakeS3();
  s3.put('bucket', 'present.txt', { body: Buffer.from('x'), contentType: 'text/plain' });
  noBucket = await startFakeHttpServer({
    '(GET|HEAD) /.*': () => ({
      status: 404,
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
    }),
  });
});
afterAll(async () => {
  await s3.close();
  await noBucket.close();
});

describe('isS3ObjectNotFound', () => {
  it('is true for a GetObject of a missing key (NoSuchKey)', async () => {
    const error = await thrownBy(client(s3.url).get('bucket', 'missing'));
    expect((error as Error).name).toBe('NoSuchKey');
    expect(isS3ObjectNotFound(error)).toBe(true);
  });

  it('is true for a HeadObject of a missing key (a bodiless 404, named NotFound as the SDK names it)', async () => {
    const error = await thrownBy(client(s3.url).head('bucket', 'missing'));
    expect((error as Error).name).toBe('NotFound');
    expect(isS3ObjectNotFound(error)).toBe(true);
  });

  it('is false for a missing bucket: a deployment fault, not a missing object', async () => {
    const error = await thrownBy(client(noBucket.url).get('gone', 'present.txt'));
    expect((error as Error).name).toBe('NoSuchBucket');
    expect(isS3ObjectNotFound(error)).toBe(false);
  });

  it('is true for any other 404 and false for other errors and non-errors', () => {
    expect(isS3ObjectNotFound({ name: 'Unknown', $metadata: { httpStatusCode: 404 } })).toBe(true);
    expect(isS3ObjectNotFound({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isS3ObjectNotFound(new Error('socket hang up'))).toBe(false);
    for (const value of [undefined, null, 'NoSuchKey', 404]) expect(isS3ObjectNotFound(value)).toBe(false);
  });
});
