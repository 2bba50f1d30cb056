import { JobMessageSchema, WRITING_LIMITS } from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSubmitRoute } from '../../src/api/submit-job.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { idempotentJobId } from '../../src/jobs/job-id.js';
import { requestFingerprint } from '../../src/jobs/request-fingerprint.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { TEST_DATA_BUCKET } from '../support/job-store-harness.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';

const USER = 'learner-42';
const AUDIO_KEY = `uploads/speaking/${USER}/0b6c3a52-8a47-4c0e-9f55-1d2e3f405162.mp3`;
const DOC_KEY = `uploads/documents/${USER}/6a1f0c4e-2b3d-4e5f-8a9b-0c1d2e3f4a5b.pdf`;

const writingBody = (overrides: Record<string, unknown> = {}) => ({
  userId: USER,
  taskType: 'task2',
  prompt: 'Some people think university should be free. Discuss both views.',
  essay: 'Education is a public good, and in my view society benefits when more people study. '.repeat(4),
  ...overrides,
});

let h: PlatformHarness;
let submit: (event: ReturnType<typeof apiEvent>) => Promise<APIGatewayProxyResult>;
let clock = new Date('2026-03-01T10:00:00.000Z');

beforeAll(async () => {
  h = await startPlatformHarness(() => clock);
  h.s3.put(TEST_DATA_BUCKET, AUDIO_KEY, { body: Buffer.from('ID3fake'), contentType: 'audio/mpeg' });
  h.s3.put(TEST_DATA_BUCKET, DOC_KEY, { body: Buffer.from('%PDF-1.7'), contentType: 'application/pdf' });
  const route = apiHandler(logger, createSubmitRoute(h.submitDeps()));
  submit = (event) => route(event, lambdaContext('submit'));
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sqs.sendFailure = undefined;
});

const postWriting = (body: unknown, headers: Record<string, string> = {}) =>
  submit(apiEvent({ resource: '/v1/writing/assessments', body, headers }));
const json = (response: APIGatewayProxyResult) => JSON.parse(response.body) as Record<string, unknown>;

describe('submit: bad input is a 400 that names every bad field', () => {
  it('rejects malformed JSON and an empty body', async () => {
    const malformed = await postWriting('{"userId": "learner-42",');
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({ message: 'Request body is not valid JSON' });
    const empty = await postWriting('');
    expect(empty.statusCode).toBe(400);
    expect(json(empty).message).toBe('Request body is required');
  });

  it('lists missing fields, wrong types and unknown fields together', async () => {
    const response = await postWriting({
      userId: 42,
      taskType: 'task9',
      essay: ['not', 'text'],
      colour: 'red',
    });
    expect(response.statusCode).toBe(400);
    const paths = (json(response).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['colour', 'essay', 'prompt', 'taskType', 'userId']);
    expect(h.sqs.sent).toHaveLength(0);
  });

  it('rejects an oversize essay naming the field and the limit', async () => {
    const response = await postWriting(
      writingBody({ essay: 'word '.repeat(WRITING_LIMITS.essayMaxChars / 4) }),
    );
    expect(response.statusCode).toBe(400);
    const errors = json(response).errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path)).toContain('essay');
  });

  it("rejects an upload key under another user's prefix, and one that was never uploaded", async () => {
    const foreign = await submit(
      apiEvent({
        resource: '/v1/speaking/assessments',
        body: {
          userId: USER,
          part: 1,
          questions: ['Where do you live?'],
          audioKey: 'uploads/speaking/someone-else/0b6c3a52-8a47-4c0e-9f55-1d2e3f405162.mp3',
        },
      }),
    );
    expect(foreign.statusCode).toBe(400);
    expect(json(foreign).errors).toEqual([expect.objectContaining({ path: 'audioKey' })]);

    const missing = await submit(
      apiEvent({
        resource: '/v1/flashcards/sets',
        body: {
          userId: USER,
          documentKey: `uploads/documents/${USER}/11111111-2222-4333-8444-555555555555.pdf`,
          count: 10,
          difficulty: 'medium',
          cardTypes: ['definition'],
        },
      }),
    );
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toMatchObject({
      message: 'Referenced upload does not exist',
      errors: [expect.objectContaining({ path: 'documentKey' })],
    });
    expect(h.sqs.sent).toHaveLength(0);
  });

  it('rejects an invalid Idempotency-Key, an unsigned request and an unknown route', async () => {
    const badKey = await postWriting(writingBody(), { 'idempotency-key': 'short' });
    expect(badKey.statusCode).toBe(400);
    expect(json(badKey).errors).toEqual([expect.objectContaining({ path: 'headers.Idempotency-Key' })]);

    const unsigned = await submit(
      apiEvent({ resource: '/v1/writing/assessments', body: writingBody(), userArn: null }),
    );
    expect(unsigned.statusCode).toBe(403);

    const unknown = await submit(apiEvent({ resource: '/v1/reading/assessments', body: writingBody() }));
    expect(unknown.statusCode).toBe(404);
  });
});

describe('submit: accepted jobs', () => {
  it('records the job QUEUED and sends one valid message to the kind queue', async () => {
    const before = h.sqs.sent.length;
    const response = await submit(
      apiEvent({
        resource: '/v1/speaking/assessments',
        body: { userId: USER, part: 2, questions: ['Describe a place you like.'], audioKey: AUDIO_KEY },
      }),
    );
    expect(response.statusCode).toBe(202);
    const { jobId, status } = json(response) as { jobId: string; status: string };
    expect(status).toBe('QUEUED');
    expect(response.headers?.Location).toBe(`/v1/jobs/${jobId}`);
    expect(await h.store.get(jobId)).toMatchObject({
      status: 'QUEUED',
      kind: 'speaking',
      principal: BACKEND_ROLE_ARN,
    });

    expect(h.sqs.sent).toHaveLength(before + 1);
    const sent = h.sqs.sent.at(-1)!;
    expect(sent.queueUrl).toBe(h.queueUrls.speaking);
    expect(JobMessageSchema.parse(JSON.parse(sent.body))).toMatchObject({
      jobId,
      kind: 'speaking',
      userId: USER,
      principal: BACKEND_ROLE_ARN,
      payload: { audioKey: AUDIO_KEY },
    });
  });

  it('answers a duplicate Idempotency-Key with the same job and no second message; 409 for another body', async () => {
    const before = h.sqs.sent.length;
    const headers = { 'Idempotency-Key': 'attempt-7731-writing' };
    const first = await postWriting(writingBody(), headers);
    // Same request, keys in another order: still the same request.
    const { essay, prompt, ...rest } = writingBody();
    const second = await postWriting({ essay, ...rest, prompt }, headers);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(json(second).jobId).toBe(json(first).jobId);
    expect(second.headers?.['Idempotent-Replayed']).toBe('true');
    expect(h.sqs.sent).toHaveLength(before + 1);

    const conflict = await postWriting(writingBody({ essay: `${essay} A different ending.` }), headers);
    expect(conflict.statusCode).toBe(409);
    expect(json(conflict).errors).toEqual([expect.objectContaining({ path: 'headers.Idempotency-Key' })]);
    expect(h.sqs.sent).toHaveLength(before + 1);
  });

  it('answers 500 (not "retry") when SQS refuses the message permanently, without its text', async () => {
    h.sqs.sendFailure = { status: 400, code: 'QueueDoesNotExist' };
    const failed = await postWriting(writingBody(), { 'Idempotency-Key': 'attempt-9000-writing' });
    expect(failed.statusCode).toBe(500);
    expect(failed.headers?.['Retry-After']).toBeUndefined();
    expect(failed.body).not.toMatch(/QueueDoesNotExist|fake SQS/);
    const job = await h.store.get(idempotentJobId(USER, 'attempt-9000-writing'));
    expect(job).toMatchObject({ status: 'FAILED', enqueueFailed: true });
  });

  it('marks the job FAILED and answers 503 when the message cannot be sent; a retry with the key recovers', async () => {
    h.sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    const headers = { 'Idempotency-Key': 'attempt-9001-writing' };
    const failed = await postWriting(writingBody(), headers);
    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['Retry-After']).toBeDefined();

    const job = await h.store.get(idempotentJobId(USER, headers['Idempotency-Key']));
    expect(job).toMatchObject({
      status: 'FAILED',
      idempotencyKey: 'attempt-9001-writing',
      error: { code: 'INTERNAL_ERROR', message: expect.stringContaining('enqueue') },
    });

    h.sqs.sendFailure = undefined;
    const retried = await postWriting(writingBody(), headers);
    expect(retried.statusCode).toBe(202);
    expect(json(retried)).toEqual({ jobId: job!.jobId, status: 'QUEUED' });
    expect(JSON.parse(h.sqs.sent.at(-1)!.body).jobId).toBe(job!.jobId);
  });

  it('re-sends the message of an idempotent job that was left QUEUED by a submit that died', async () => {
    const headers = { 'Idempotency-Key': 'attempt-orphan-0001' };
    const created = await h.store.create({
      userId: USER,
      kind: 'writing',
      principal: BACKEND_ROLE_ARN,
      requestHash: requestFingerprint({ kind: 'writing', payload: writingBody() }),
      idempotencyKey: headers['Idempotency-Key'],
    });
    const before = h.sqs.sent.length;
    clock = new Date(clock.getTime() + 5 * 60_000);
    const replay = await postWriting(writingBody(), headers);
    expect(replay.statusCode).toBe(202);
    expect(json(replay).jobId).toBe(created.job.jobId);
    expect(h.sqs.sent).toHaveLength(before + 1);
    expect(JSON.parse(h.sqs.sent.at(-1)!.body).jobId).toBe(created.job.jobId);

    // Another replay within the minute sends nothing more.
    clock = new Date(clock.getTime() + 30_000);
    expect((await postWriting(writingBody(), headers)).statusCode).toBe(202);
    expect(h.sqs.sent).toHaveLength(before + 1);
  });

  it('never fails a live job when the re-send of its message fails', async () => {
    const headers = { 'Idempotency-Key': 'attempt-orphan-0002' };
    const created = await h.store.create({
      userId: USER,
      kind: 'writing',
      principal: BACKEND_ROLE_ARN,
      requestHash: requestFingerprint({ kind: 'writing', payload: writingBody() }),
      idempotencyKey: headers['Idempotency-Key'],
    });
    clock = new Date(clock.getTime() + 5 * 60_000);
    h.sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    const replay = await postWriting(writingBody(), headers);
    expect(replay.statusCode).toBe(503);
    // Its first message may still be in the backlog: the job stays QUEUED.
    expect(await h.store.get(created.job.jobId)).toMatchObject({ status: 'QUEUED' });
  });
});
