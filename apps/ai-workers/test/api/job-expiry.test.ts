import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { JOB_TTL_DAYS } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryRoute } from '../../src/api/job-history.js';
import { createStatusRoute } from '../../src/api/job-status.js';
import { createTestBandRoute } from '../../src/api/test-band.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

const USER = 'learner-expiry';
const DAY_MS = 24 * 3600 * 1000;
const SUBMITTED = Date.parse('2026-03-01T10:00:00.000Z');
let clock = new Date(SUBMITTED);
let h: JobStoreHarness;
let call: (
  resource: string,
  query: Record<string, string>,
  pathParameters?: Record<string, string>,
) => Promise<APIGatewayProxyResult>;
let task1 = '';
let task2 = '';

beforeAll(async () => {
  h = await startJobStoreHarness(() => clock);
  const now = () => clock;
  const routes: Record<string, ReturnType<typeof apiHandler>> = {
    '/v1/jobs/{jobId}': apiHandler(logger, createStatusRoute({ store: h.store, now })),
    '/v1/jobs': apiHandler(logger, createHistoryRoute({ store: h.store, now })),
    '/v1/writing/test-band': apiHandler(logger, createTestBandRoute({ store: h.store, now })),
  };
  call = (resource, query, pathParameters) =>
    routes[resource]!(
      apiEvent({ method: 'GET', resource, query, ...(pathParameters ? { pathParameters } : {}) }),
      lambdaContext('read'),
    );
  const succeeded = async (taskType: 'task1-academic' | 'task2') => {
    const { job } = await h.store.create({
      userId: USER,
      kind: 'writing',
      principal: BACKEND_ROLE_ARN,
      requestHash: 'h',
    });
    await h.store.start(job.jobId);
    await h.store.succeed(
      { jobId: job.jobId, kind: 'writing' },
      sampleWritingResult({ taskType, minimumWords: taskType === 'task2' ? 250 : 150 }),
    );
    return job.jobId;
  };
  task1 = await succeeded('task1-academic');
  task2 = await succeeded('task2');
});
afterAll(async () => {
  await h.close();
});

const reads = () =>
  Promise.all([
    call('/v1/jobs/{jobId}', { userId: USER }, { jobId: task2 }),
    call('/v1/jobs', { userId: USER }),
    call('/v1/writing/test-band', { userId: USER, task1JobId: task1, task2JobId: task2 }),
  ]);

describe(`a job ${JOB_TTL_DAYS} days on: gone from every read route before DynamoDB's TTL deletes it`, () => {
  it('is served up to the second before it expires', async () => {
    clock = new Date(SUBMITTED + JOB_TTL_DAYS * DAY_MS - 1000);
    const [status, history, band] = await reads();
    expect(status.statusCode).toBe(200);
    expect(JSON.parse(history.body).jobs).toHaveLength(2);
    expect(band.statusCode).toBe(200);
  });

  it('is gone from its expiry on, although the item is still in the table', async () => {
    clock = new Date(SUBMITTED + JOB_TTL_DAYS * DAY_MS);
    // dynalite, like DynamoDB, has not deleted the item yet: it is still in the table, unserved.
    const raw = await h.doc.send(new GetCommand({ TableName: h.table.tableName, Key: { jobId: task2 } }));
    expect(raw.Item?.jobId).toBe(task2);
    expect(await h.store.get(task2)).toBeUndefined();
    const [status, history, band] = await reads();
    expect(status.statusCode).toBe(404);
    expect(JSON.parse(history.body)).toEqual({ jobs: [] });
    expect(band.statusCode).toBe(422);
    expect(JSON.parse(band.body)).toMatchObject({ code: 'PART_MISSING' });
  });
});
