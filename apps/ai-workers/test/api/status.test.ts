import { JobStatusResponseSchema } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusRoute } from '../../src/api/job-status.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { INLINE_RESULT_MAX_BYTES } from '../../src/jobs/result-storage.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

let h: JobStoreHarness;
let status: (jobId: string, userId?: string) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  h = await startJobStoreHarness();
  const route = apiHandler(logger, createStatusRoute({ store: h.store }));
  status = (jobId, userId) =>
    route(
      apiEvent({
        method: 'GET',
        resource: '/v1/jobs/{jobId}',
        path: `/v1/jobs/${jobId}`,
        pathParameters: { jobId },
        ...(userId ? { query: { userId } } : {}),
      }),
      lambdaContext('status'),
    );
});
afterAll(async () => {
  await h.close();
});

const create = (userId: string) =>
  h.store
    .create({ userId, kind: 'writing', principal: BACKEND_ROLE_ARN, requestHash: 'h' })
    .then((r) => r.job);
const body = (response: APIGatewayProxyResult) => JSON.parse(response.body) as Record<string, unknown>;

describe('status: GET /v1/jobs/{jobId}', () => {
  it('is 400 for a malformed id or a missing userId, naming both', async () => {
    const response = await status('not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect((body(response).errors as { path: string }[]).map((e) => e.path)).toEqual([
      'path.jobId',
      'query.userId',
    ]);
  });

  it('is 404 for an unknown job and 403 for another user’s job', async () => {
    expect((await status('3f0e1d2c-4b5a-4987-8654-3210fedcba98', 'learner-1')).statusCode).toBe(404);
    const job = await create('learner-1');
    const other = await status(job.jobId, 'learner-2');
    expect(other.statusCode).toBe(403);
    expect(body(other).message).toContain('another user');
  });

  it('returns a queued job without owner, principal or storage details', async () => {
    const job = await create('learner-3');
    const response = await status(job.jobId, 'learner-3');
    expect(response.statusCode).toBe(200);
    const parsed = JobStatusResponseSchema.parse(body(response));
    expect(parsed).toMatchObject({ jobId: job.jobId, kind: 'writing', status: 'QUEUED', attempts: 0 });
    expect(body(response)).not.toHaveProperty('principal');
    expect(body(response)).not.toHaveProperty('userId');
  });

  it('returns the error of a failed job and the result of a succeeded one, also from S3', async () => {
    const failed = await create('learner-4');
    await h.store.fail(failed.jobId, { code: 'DOCUMENT_UNREADABLE', message: 'The PDF is encrypted' });
    expect(body(await status(failed.jobId, 'learner-4'))).toMatchObject({
      status: 'FAILED',
      error: { code: 'DOCUMENT_UNREADABLE', message: 'The PDF is encrypted' },
    });

    const small = await create('learner-4');
    await h.store.start(small.jobId);
    await h.store.succeed(small, sampleWritingResult());
    expect(body(await status(small.jobId, 'learner-4'))).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      result: sampleWritingResult(),
    });

    const big = await create('learner-4');
    await h.store.start(big.jobId);
    const bigResult = sampleWritingResult({ improvements: ['y'.repeat(INLINE_RESULT_MAX_BYTES + 10)] });
    await h.store.succeed(big, bigResult);
    const response = await status(big.jobId, 'learner-4');
    expect(response.statusCode).toBe(200);
    expect(body(response).result).toEqual(bigResult);
  });
});
