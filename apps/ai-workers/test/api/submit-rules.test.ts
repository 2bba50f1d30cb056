import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSubmitRoute, type SubmitDeps } from '../../src/api/submit-job.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { requestFingerprint } from '../../src/jobs/request-fingerprint.js';
import { jobMetrics } from '../../src/runtime/job-metrics.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';
import { type LogLine, recordingLogger } from '../support/recording-logger.js';

/*
 * The submit route's answers, message by message (what a caller reads), the work it does not do
 * (no resend claim for a job that cannot be an orphan, no 409 or 429 for failures that are not an
 * Idempotency-Key conflict or a used-up day), and what it leaves for operators (log lines naming
 * the job, the submitted-jobs metric).
 */

const USER = 'learner-77';
const writingBody = (overrides: Record<string, unknown> = {}) => ({
  userId: USER,
  taskType: 'task2',
  prompt: 'Some people think cities should ban cars. Discuss both views.',
  essay: 'Cities are for people, and in my view fewer cars make streets safer and quieter. '.repeat(4),
  ...overrides,
});
const json = (r: APIGatewayProxyResult) => JSON.parse(r.body) as Record<string, unknown>;

let h: PlatformHarness;
let clock = new Date('2026-04-01T08:00:00.000Z');
let claims = 0;

/** A route over the harness, with parts of its dependencies replaced. */
function route(overrides: Partial<SubmitDeps> = {}) {
  const handler = apiHandler(
    logger,
    createSubmitRoute(
      h.submitDeps({
        store: {
          create: (input) => h.store.create(input),
          fail: (...args) => h.store.fail(...args),
          get: (jobId) => h.store.get(jobId),
          claimResend: (jobId, olderThanMs) => {
            claims++;
            return h.store.claimResend(jobId, olderThanMs);
          },
        },
        ...overrides,
      }),
    ),
  );
  return (event: ReturnType<typeof apiEvent>) => handler(event, lambdaContext('submit'));
}
const writing = (body: unknown, headers: Record<string, string> = {}) =>
  apiEvent({ resource: '/v1/writing/assessments', body, headers });

beforeAll(async () => {
  h = await startPlatformHarness(() => clock);
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});
beforeEach(() => {
  h.sqs.sendFailure = undefined;
  claims = 0;
  clock = new Date(clock.getTime() + 24 * 3_600_000);
});

describe('submit: what each refusal says', () => {
  it('an invalid body, an invalid Idempotency-Key, an upload that is not there', async () => {
    const submit = route();
    expect(json(await submit(writing({ userId: USER })))).toMatchObject({
      message: 'Request body is invalid',
    });
    expect(json(await submit(writing(writingBody(), { 'Idempotency-Key': 'x' })))).toMatchObject({
      message: 'Idempotency-Key header is invalid',
    });
    const key = `uploads/speaking/${USER}/0b6c3a52-8a47-4c0e-9f55-1d2e3f405199.mp3`;
    const missing = await submit(
      apiEvent({
        resource: '/v1/speaking/assessments',
        body: { userId: USER, part: 2, questions: ['Describe a river.'], audioKey: key },
      }),
    );
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toMatchObject({
      message: 'Referenced upload does not exist',
      errors: [
        {
          path: 'audioKey',
          message: `No uploaded object at "${key}"; upload it with POST /v1/uploads first`,
        },
      ],
    });
  });

  it('a queue that refuses: 500 names a misconfiguration, 503 asks for a retry with the same key', async () => {
    const submit = route();
    h.sqs.sendFailure = { status: 400, code: 'QueueDoesNotExist' };
    expect(json(await submit(writing(writingBody())))).toMatchObject({
      message:
        'The job could not be queued because the service is misconfigured; operators have been alerted',
    });
    h.sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    expect(json(await submit(writing(writingBody())))).toMatchObject({
      message: 'The job could not be queued; retry the request (the same Idempotency-Key is safe)',
    });
  });

  it('a store failure other than a key conflict is a 500, never a 409', async () => {
    const submit = route({
      store: {
        create: async () => {
          throw new Error('store down');
        },
        fail: (...args) => h.store.fail(...args),
        get: (jobId) => h.store.get(jobId),
        claimResend: (jobId, ms) => h.store.claimResend(jobId, ms),
      },
    });
    expect((await submit(writing(writingBody()))).statusCode).toBe(500);
  });

  it('a limit counter failure is a 500, never a 429', async () => {
    const submit = route({
      limits: {
        consume: async () => {
          throw new Error('counter down');
        },
        release: async () => {},
      },
    });
    const refused = await submit(writing(writingBody()));
    expect(refused.statusCode).toBe(500);
    expect(refused.headers?.['Retry-After']).toBeUndefined();
  });
});

describe('submit: the message', () => {
  it('carries the job kind as a message attribute (for queue-side filtering and metrics)', async () => {
    const before = h.sqs.sent.length;
    expect((await route()(writing(writingBody()))).statusCode).toBe(202);
    expect(h.sqs.sent).toHaveLength(before + 1);
    expect(h.sqs.sent.at(-1)?.attributes).toEqual({ kind: { DataType: 'String', StringValue: 'writing' } });
  });
});

describe('submit: replays claim a re-send only for a job that may have lost its message', () => {
  const queued = async (key: string) =>
    h.store.create({
      userId: USER,
      kind: 'writing',
      principal: BACKEND_ROLE_ARN,
      requestHash: requestFingerprint({ kind: 'writing', payload: writingBody() }),
      idempotencyKey: key,
    });

  it('a QUEUED job exactly one minute old, or younger, is not claimed', async () => {
    const headers = { 'Idempotency-Key': 'orphan-rule-0001' };
    await queued(headers['Idempotency-Key']);
    const submit = route();
    expect((await submit(writing(writingBody(), headers))).statusCode).toBe(202);
    clock = new Date(clock.getTime() + 60_000);
    expect((await submit(writing(writingBody(), headers))).statusCode).toBe(202);
    expect(claims).toBe(0);
    clock = new Date(clock.getTime() + 1);
    expect((await submit(writing(writingBody(), headers))).statusCode).toBe(202);
    expect(claims).toBe(1);
  });

  it('a job that started (an attempt, or no longer QUEUED) is never claimed, however old', async () => {
    const headers = { 'Idempotency-Key': 'orphan-rule-0002' };
    const { job } = await queued(headers['Idempotency-Key']);
    await h.store.start(job.jobId);
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'RUNNING', attempts: 1 });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await route()(writing(writingBody(), headers))).statusCode).toBe(202);
    expect(claims).toBe(0);
  });

  it('without an injected clock the wall clock decides (a job queued long ago is re-sent)', async () => {
    const headers = { 'Idempotency-Key': 'orphan-rule-0003' };
    const { job } = await queued(headers['Idempotency-Key']);
    const before = h.sqs.sent.length;
    // The store's clock moves past the minute too (its claim is a conditional write on its own clock).
    clock = new Date(clock.getTime() + 10 * 60_000);
    // The harness clock (April 2026) is behind the wall clock: to the wall clock the job is old.
    const replay = await route({ now: undefined })(writing(writingBody(), headers));
    expect(replay.statusCode).toBe(202);
    expect(JSON.parse(h.sqs.sent.at(-1)?.body ?? '{}').jobId).toBe(job.jobId);
    expect(h.sqs.sent).toHaveLength(before + 1);
  });

  it('a job that finished without ever starting (failed from QUEUED) is never claimed, however old', async () => {
    const headers = { 'Idempotency-Key': 'orphan-rule-0004' };
    const { job } = await queued(headers['Idempotency-Key']);
    await h.store.fail(job.jobId, { code: 'INVALID_INPUT', message: 'The job message is invalid' });
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'FAILED', attempts: 0 });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await route()(writing(writingBody(), headers))).statusCode).toBe(202);
    expect(claims).toBe(0);
  });

  it('a job reopened for a dead-letter replay (QUEUED again after attempts) is never claimed: its message is being replayed', async () => {
    const headers = { 'Idempotency-Key': 'orphan-rule-0005' };
    const { job } = await queued(headers['Idempotency-Key']);
    await h.store.start(job.jobId);
    await h.store.fail(job.jobId, { code: 'RETRIES_EXHAUSTED', message: 'Every attempt failed' });
    expect(await h.store.reopen(job.jobId, 'queued')).toBe(true);
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'QUEUED', attempts: 1 });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await route()(writing(writingBody(), headers))).statusCode).toBe(202);
    expect(claims).toBe(0);
  });
});

describe('submit: what operators get', () => {
  it('a new job is counted once as submitted and logged with its id and kind; its replay is logged as a replay, not counted', async () => {
    const lines: LogLine[] = [];
    const submitted = vi.spyOn(jobMetrics, 'submitted');
    const submit = route({ logger: recordingLogger(lines) });
    const headers = { 'Idempotency-Key': 'operators-0001' };
    const first = await submit(writing(writingBody(), headers));
    const { jobId } = json(first);
    expect(submitted.mock.calls).toEqual([['writing']]);
    expect(lines).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/submitted/i),
        extra: expect.objectContaining({ kind: 'writing' }),
        keys: { jobId },
      },
    ]);
    lines.length = 0;
    expect((await submit(writing(writingBody(), headers))).headers?.['Idempotent-Replayed']).toBe('true');
    expect(submitted).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/replay/i),
        extra: { status: 'QUEUED' },
        keys: { jobId },
      },
    ]);
  });

  it('a replay that sends a lost message again says so, naming the job', async () => {
    const lines: LogLine[] = [];
    const headers = { 'Idempotency-Key': 'operators-0002' };
    const { job } = await h.store.create({
      userId: USER,
      kind: 'writing',
      principal: BACKEND_ROLE_ARN,
      requestHash: requestFingerprint({ kind: 'writing', payload: writingBody() }),
      idempotencyKey: headers['Idempotency-Key'],
    });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect(
      (await route({ logger: recordingLogger(lines) })(writing(writingBody(), headers))).statusCode,
    ).toBe(202);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', message: expect.stringMatching(/again/i), extra: {}, keys: { jobId: job.jobId } },
    ]);
  });

  it('a message SQS refuses is an error line saying whether the fault is permanent', async () => {
    const lines: LogLine[] = [];
    const submit = route({ logger: recordingLogger(lines) });
    h.sqs.sendFailure = { status: 400, code: 'QueueDoesNotExist' };
    expect((await submit(writing(writingBody()))).statusCode).toBe(500);
    h.sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    expect((await submit(writing(writingBody()))).statusCode).toBe(503);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/enqueue/i),
        extra: expect.objectContaining({ permanent: true, error: expect.any(Error) }),
      }),
      expect.objectContaining({
        message: expect.stringMatching(/enqueue/i),
        extra: expect.objectContaining({ permanent: false, error: expect.any(Error) }),
      }),
    ]);
    expect(errors.every((l) => typeof l.keys.jobId === 'string')).toBe(true);
  });

  it('when the day cannot be given back or the job cannot be marked FAILED, the caller still gets the queue answer and operators get both errors', async () => {
    const lines: LogLine[] = [];
    const submit = route({
      logger: recordingLogger(lines),
      store: {
        create: (input) => h.store.create(input),
        fail: async () => {
          throw new Error('store down');
        },
        get: (jobId) => h.store.get(jobId),
        claimResend: (jobId, ms) => h.store.claimResend(jobId, ms),
      },
      limits: {
        consume: (input) => h.limits.consume(input),
        release: async () => {
          throw new Error('counter down');
        },
      },
    });
    h.sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    const refused = await submit(writing(writingBody()));
    expect(refused.statusCode).toBe(503);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/enqueue/i) }),
      expect.objectContaining({
        message: expect.stringMatching(/FAILED/),
        extra: { error: expect.objectContaining({ message: 'store down' }) },
      }),
      expect.objectContaining({
        message: expect.stringMatching(/give back/i),
        extra: { error: expect.objectContaining({ message: 'counter down' }) },
      }),
    ]);
  });
});
