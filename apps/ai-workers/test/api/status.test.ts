import { JobStatusResponseSchema, LEARNER_ERROR_MESSAGES } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusRoute } from '../../src/api/job-status.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { INLINE_RESULT_MAX_BYTES } from '../../src/jobs/result-storage.js';
import { classifyError } from '../../src/runtime/error-classification.js';
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

  it('leaks no ARN, account id, object key or service text, whatever the job stored', async () => {
    const ACCOUNT = '123456789012';
    const jobs = await Promise.all(Array.from({ length: 5 }, () => create('learner-leak')));
    const [rejected, exhausted, missingUpload, pdfError, timedOut] = jobs as [
      (typeof jobs)[0],
      (typeof jobs)[0],
      (typeof jobs)[0],
      (typeof jobs)[0],
      (typeof jobs)[0],
    ];
    const serviceText = `User: arn:aws:sts::${ACCOUNT}:assumed-role/bandup-dev-writing/fn is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/google.gemma-3-12b-it`;
    // What the real paths store: a refused model call, a dead letter, a missing upload, a PDF error.
    const denied = classifyError(
      Object.assign(new Error(serviceText), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    if (denied.type !== 'permanent') throw new Error('AccessDenied must be permanent');
    await h.store.fail(rejected.jobId, {
      code: denied.error.code,
      message: denied.error.message,
      details: { ...denied.error.details },
    });
    await h.store.fail(exhausted.jobId, {
      code: 'RETRIES_EXHAUSTED',
      message: `The job could not be completed after 3 deliveries; last error: ${serviceText}`,
      details: {
        archiveKey: `dead-letters/writing/${exhausted.jobId}/m.json`,
        lastAttemptError: serviceText,
      },
    });
    await h.store.fail(missingUpload.jobId, {
      code: 'UPLOAD_NOT_FOUND',
      message: 'No uploaded document at "uploads/documents/learner-leak/5b9c.pdf": upload it first',
    });
    await h.store.fail(pdfError.jobId, {
      code: 'DOCUMENT_UNREADABLE',
      message: 'The file is not a readable PDF: InvalidPDFException at Parser.getObj (pdf.mjs:1)',
    });
    await h.store.fail(timedOut.jobId, {
      code: 'TIMED_OUT',
      message: 'The job did not finish in time and was stopped; please submit it again',
    });

    const bodies = await Promise.all(jobs.map(async (job) => (await status(job.jobId, 'learner-leak')).body));
    for (const text of bodies) {
      expect(text).not.toMatch(/arn:aws|123456789012|uploads\/|dead-letters\/|Exception|amazonaws/);
      const error = JSON.parse(text).error as Record<string, unknown>;
      expect(Object.keys(error).sort()).toEqual(['code', 'message']);
    }
    const errors = bodies.map((text) => JSON.parse(text).error as { code: string; message: string });
    expect(errors.map((e) => e.code)).toEqual([
      'REQUEST_REJECTED',
      'RETRIES_EXHAUSTED',
      'UPLOAD_NOT_FOUND',
      'DOCUMENT_UNREADABLE',
      'TIMED_OUT',
    ]);
    expect(errors[2]?.message).toBe(LEARNER_ERROR_MESSAGES.UPLOAD_NOT_FOUND);
    // A message written for the learner, with nothing internal in it, is shown as stored.
    expect(errors[4]?.message).toBe('The job did not finish in time and was stopped; please submit it again');
    // The internals stay on the item (for operators and logs), not in the answer.
    expect((await h.store.get(exhausted.jobId))?.error?.details).toMatchObject({
      lastAttemptError: serviceText,
    });
  });
});
