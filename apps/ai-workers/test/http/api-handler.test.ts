import { describe, expect, it } from 'vitest';
import { apiHandler } from '../../src/http/api-handler.js';
import { HttpError } from '../../src/http/http-error.js';
import { header, parseJsonBody } from '../../src/http/request.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, lambdaContext } from '../support/events.js';

const event = apiEvent({ resource: '/v1/uploads', body: { a: 1 } });
const answer = (error: unknown) =>
  apiHandler(logger, async () => {
    throw error;
  })(event, { ...lambdaContext(), awsRequestId: 'req-123' });

describe('apiHandler', () => {
  it('answers an HttpError with its status, message, field errors and headers', async () => {
    const response = await answer(
      new HttpError(409, 'taken', [{ path: 'headers.Idempotency-Key', message: 'x' }]),
    );
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toEqual({
      message: 'taken',
      errors: [{ path: 'headers.Idempotency-Key', message: 'x' }],
    });
    expect(response.headers).toMatchObject({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('answers a throttled or unavailable dependency with 503 and Retry-After', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    const response = await answer(throttled);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('2');
  });

  it('answers anything else with 500 naming the request id and nothing of the error', async () => {
    const response = await answer(new Error('secret internal detail'));
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('req-123');
    expect(response.body).not.toContain('secret internal detail');
  });
});

describe('request helpers', () => {
  it('reads headers case-insensitively and decodes base64 bodies', () => {
    const e = apiEvent({ resource: '/x', headers: { 'IDEMPOTENCY-KEY': 'abc' } });
    expect(header(e, 'Idempotency-Key')).toBe('abc');
    const encoded = { ...e, body: Buffer.from('{"ok":true}').toString('base64'), isBase64Encoded: true };
    expect(parseJsonBody(encoded)).toEqual({ ok: true });
  });
});
