import type { JobMessageOf } from '@bandup/shared';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobItem } from '../../src/jobs/job-item.js';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';
import { jobMetrics } from '../../src/runtime/job-metrics.js';
import type { JobWorker, WorkerContext } from '../../src/runtime/job-worker.js';
import { opsMetrics } from '../../src/runtime/ops-metrics.js';
import {
  createSqsJobHandler,
  handleJobRecord,
  recoverJobId,
  type SqsJobHandlerOptions,
} from '../../src/runtime/sqs-job-handler.js';
import { BACKEND_ROLE_ARN, lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';
import { type LogLine, recordingLogger } from '../support/recording-logger.js';

/*
 * The job lifecycle rules of the SQS runner, one per test: which deliveries run the worker, what
 * each outcome writes on the job, which records come back, and what each outcome counts.
 */

let clock = new Date('2026-05-01T10:00:00.000Z');
let h: JobStoreHarness;
beforeAll(async () => {
  h = await startJobStoreHarness(() => clock);
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const essay = 'An essay long enough to pass the schema minimum of twenty characters.';

async function queuedJob(
  options: { userId?: string; kind?: 'writing' | 'speaking' } = {},
): Promise<{ job: JobItem; message: JobMessageOf<'writing'>; body: string }> {
  const userId = options.userId ?? 'learner-9';
  const { job } = await h.store.create({
    userId,
    kind: options.kind ?? 'writing',
    principal: BACKEND_ROLE_ARN,
    requestHash: 'x',
  });
  const message: JobMessageOf<'writing'> = {
    jobId: job.jobId,
    kind: 'writing',
    userId,
    principal: BACKEND_ROLE_ARN,
    submittedAt: job.createdAt,
    payload: { userId, taskType: 'task2', prompt: 'Discuss both views.', essay },
  };
  return { job, message, body: JSON.stringify(message) };
}

/** A handler whose worker is `worker`, counting its runs. */
function runner(worker: JobWorker<'writing'>) {
  const runs: WorkerContext[] = [];
  const handler = createSqsJobHandler({
    kind: 'writing',
    store: h.store,
    worker: (message, context) => {
      runs.push(context);
      return worker(message, context);
    },
  });
  const run = (records: SQSRecord[], context = lambdaContext('writing')) =>
    handler(sqsEvent(records), context).then((r) => r.batchItemFailures.map((f) => f.itemIdentifier));
  return { runs, run };
}

const succeeds: JobWorker<'writing'> = async () => ({ type: 'succeeded', result: sampleWritingResult() });

describe('which deliveries run the worker', () => {
  it('a message whose job is already terminal is acknowledged, not retried, and the worker does not run again', async () => {
    const { job, body } = await queuedJob();
    const { runs, run } = runner(succeeds);
    expect(await run([sqsRecord(body)])).toEqual([]);
    const finished = await h.store.get(job.jobId);
    expect(await run([sqsRecord(body)])).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(await h.store.get(job.jobId)).toEqual(finished);
  });

  it('a redelivered message of a job handed over to another function is acknowledged; the worker does not run again', async () => {
    const { job, body } = await queuedJob();
    const { runs, run } = runner(async () => ({ type: 'waiting', reason: 'transcribing', waitMs: 600_000 }));
    expect(await run([sqsRecord(body)])).toEqual([]);
    expect(await run([sqsRecord(body)])).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(await h.store.get(job.jobId)).toMatchObject({ status: 'RUNNING', waitingFor: 'transcribing' });
  });

  it('a copy of a message whose job another delivery is running comes back later, without running the worker', async () => {
    const { job, body } = await queuedJob();
    const copy = sqsRecord(body);
    let copyAnswer: string[] | undefined;
    const { runs, run } = runner(async () => {
      // The copy arrives while the first delivery still runs the worker.
      if (copyAnswer === undefined) copyAnswer = await run([copy]);
      return { type: 'succeeded', result: sampleWritingResult() };
    });
    expect(await run([sqsRecord(body)])).toEqual([]);
    expect(copyAnswer).toEqual([copy.messageId]);
    expect(runs).toHaveLength(1);
    expect((await h.store.get(job.jobId))?.status).toBe('SUCCEEDED');
  });

  it('the lease names the delivery and outlives the invocation by a clock-skew margin', async () => {
    const { job, body } = await queuedJob();
    const record = sqsRecord(body);
    const context = { ...lambdaContext('writing'), getRemainingTimeInMillis: () => 45_000 };
    let during: JobItem | undefined;
    const { run } = runner(async (_message, worker) => {
      during = await h.store.get(worker.jobId);
      return { type: 'succeeded', result: sampleWritingResult() };
    });
    expect(await run([record], context)).toEqual([]);
    expect(during).toMatchObject({
      jobId: job.jobId,
      leaseOwner: `${context.awsRequestId}/${record.messageId}`,
      leaseExpiresAt: clock.getTime() + 45_000 + 10_000,
    });
  });

  it('the worker is told the job, its user, the attempt and the time left', async () => {
    const { job, body } = await queuedJob({ userId: 'learner-ctx' });
    const context = { ...lambdaContext('writing'), getRemainingTimeInMillis: () => 42_000 };
    const { runs, run } = runner(succeeds);
    await run([sqsRecord(body)], context);
    expect(runs[0]).toMatchObject({ jobId: job.jobId, userId: 'learner-ctx', attempt: 1 });
    expect(runs[0]?.remainingTimeMs()).toBe(42_000);
  });

  it('a delivery whose lease lapsed and was taken over cannot fail the job the new holder runs', async () => {
    const { job, body } = await queuedJob();
    const late = sqsRecord(body);
    const next = sqsRecord(body);
    let calls = 0;
    let nextAnswer: string[] | undefined;
    const { run } = runner(async () => {
      calls++;
      if (calls === 2)
        return { type: 'waiting', reason: 'handed over by the second delivery', waitMs: 600_000 };
      // The first delivery outlives its lease (the invocation's 60 s plus the 10 s margin); the
      // redelivered message takes the job over and hands it to another function.
      clock = new Date(clock.getTime() + 71_000);
      nextAnswer = await run([next]);
      throw new PermanentJobError('INSUFFICIENT_CONTENT', 'a verdict from a run that lost its lease');
    });
    expect(await run([late])).toEqual([]);
    expect(nextAnswer).toEqual([]);
    expect(await h.store.get(job.jobId)).toMatchObject({
      status: 'RUNNING',
      attempts: 2,
      waitingFor: 'handed over by the second delivery',
    });
  });

  it('a message whose user or kind does not match its job record fails the job as INVALID_INPUT without running the worker', async () => {
    const otherUser = await queuedJob({ userId: 'learner-a' });
    const otherKind = await queuedJob({ kind: 'speaking' });
    const { runs, run } = runner(succeeds);
    const forged = JSON.stringify({
      ...otherUser.message,
      userId: 'learner-b',
      payload: { ...otherUser.message.payload, userId: 'learner-b' },
    });
    expect(await run([sqsRecord(forged), sqsRecord(otherKind.body)])).toEqual([]);
    expect(runs).toHaveLength(0);
    for (const { job } of [otherUser, otherKind]) {
      expect(await h.store.get(job.jobId)).toMatchObject({
        status: 'FAILED',
        error: { code: 'INVALID_INPUT', message: 'The message does not match its job record' },
      });
    }
  });
});

describe('what an outcome writes on the job', () => {
  it('an invalid message fails its job naming its first five problems; every problem is kept in the details', async () => {
    const { job, message } = await queuedJob();
    const body = JSON.stringify({
      ...message,
      principal: 5,
      submittedAt: 'yesterday',
      payload: { userId: 7, taskType: 'task7', prompt: 3, essay: 5 },
    });
    expect(await runner(succeeds).run([sqsRecord(body)])).toEqual([]);
    const error = (await h.store.get(job.jobId))?.error;
    if (!error) throw new Error('the job was not failed');
    const { problems } = error.details as { problems: { path: string; message: string }[] };
    expect(problems.length).toBeGreaterThan(5);
    expect(error.message).toBe(
      `The job message is invalid: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
  });

  it('a message of another kind names the kind this queue carries', async () => {
    const { job, message } = await queuedJob({ kind: 'speaking' });
    const body = JSON.stringify({
      ...message,
      kind: 'speaking',
      payload: {
        userId: message.userId,
        part: 2,
        questions: ['Describe a river.'],
        audioKey: `uploads/speaking/${message.userId}/0b6c3a52-8a47-4c0e-9f55-1d2e3f405199.mp3`,
      },
    });
    await runner(succeeds).run([sqsRecord(body)]);
    expect((await h.store.get(job.jobId))?.error).toMatchObject({
      code: 'INVALID_INPUT',
      details: {
        problems: [{ path: 'kind', message: 'This queue carries "writing" jobs, not "speaking"' }],
      },
    });
  });

  it('a waiting worker leaves the job RUNNING with its reason, its wait, and no lease', async () => {
    const { job, body } = await queuedJob();
    await runner(async () => ({ type: 'waiting', reason: 'Transcribe job started', waitMs: 900_000 })).run([
      sqsRecord(body),
    ]);
    const stored = await h.store.get(job.jobId);
    expect(stored).toMatchObject({
      status: 'RUNNING',
      waitingFor: 'Transcribe job started',
      deadlineAt: clock.getTime() + 900_000,
    });
    expect(stored?.leaseOwner).toBeUndefined();
  });

  it('a permanent failure without details records none', async () => {
    const { job, body } = await queuedJob();
    await runner(async () => {
      throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess');
    }).run([sqsRecord(body)]);
    const failed = await h.store.get(job.jobId);
    expect(failed?.error).toEqual({ code: 'INSUFFICIENT_CONTENT', message: 'Nothing to assess' });
  });
});

describe('what each outcome counts', () => {
  const spies = () => ({
    poison: vi.spyOn(jobMetrics, 'poison'),
    failed: vi.spyOn(jobMetrics, 'failed'),
    succeeded: vi.spyOn(jobMetrics, 'succeeded'),
    duration: vi.spyOn(jobMetrics, 'duration'),
    retried: vi.spyOn(jobMetrics, 'retried'),
    throttle: vi.spyOn(opsMetrics, 'bedrockThrottle'),
  });
  const calls = (s: ReturnType<typeof spies>) =>
    Object.fromEntries(Object.entries(s).map(([name, spy]) => [name, spy.mock.calls]));

  it('a success is counted with its duration', async () => {
    const { job, body } = await queuedJob();
    const s = spies();
    await runner(succeeds).run([sqsRecord(body)]);
    expect(calls(s)).toEqual({
      poison: [],
      failed: [],
      succeeded: [['writing']],
      duration: [['writing', job.createdAt]],
      retried: [],
      throttle: [],
    });
  });

  it('a permanent failure is counted with its duration; a mismatched message too', async () => {
    const { job, body } = await queuedJob();
    const mismatched = await queuedJob({ kind: 'speaking' });
    const s = spies();
    await runner(async () => {
      throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess');
    }).run([sqsRecord(body)]);
    await runner(succeeds).run([sqsRecord(mismatched.body)]);
    expect(calls(s)).toMatchObject({
      failed: [['writing'], ['speaking']],
      duration: [
        ['writing', job.createdAt],
        ['speaking', mismatched.job.createdAt],
      ],
      succeeded: [],
    });
  });

  it('a poison message is counted as poison; an invalid one also fails its job, once', async () => {
    const { message } = await queuedJob();
    const s = spies();
    const { run } = runner(succeeds);
    await run([sqsRecord('not json')]);
    expect(calls(s)).toMatchObject({ poison: [['writing']], failed: [] });
    const invalid = JSON.stringify({ ...message, payload: { ...message.payload, essay: 5 } });
    await run([sqsRecord(invalid)]);
    expect(calls(s)).toMatchObject({ poison: [['writing'], ['writing']], failed: [['writing']] });
    // Its redelivery finds the job FAILED already: poison again, not a second failure.
    await run([sqsRecord(invalid)]);
    expect(calls(s)).toMatchObject({
      poison: [['writing'], ['writing'], ['writing']],
      failed: [['writing']],
    });
  });

  it('a retried attempt is counted; a Bedrock throttle also as a throttle', async () => {
    const s = spies();
    const throttled = await queuedJob();
    await runner(async () => {
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 429 },
      });
    }).run([sqsRecord(throttled.body)]);
    const busy = await queuedJob();
    await runner(async () => {
      throw new RetryableJobError('busy');
    }).run([sqsRecord(busy.body)]);
    expect(calls(s)).toMatchObject({ retried: [['writing'], ['writing']], throttle: [[]], failed: [] });
  });

  it('a result or a failure that arrives after the job was finished elsewhere is discarded and not counted', async () => {
    const late = await queuedJob();
    const lateFailure = await queuedJob();
    const s = spies();
    // Each job is failed elsewhere (an operator, without the lease) while its worker still runs.
    const finishElsewhere = (jobId: string) =>
      h.store.fail(jobId, { code: 'RETRIES_EXHAUSTED', message: 'failed elsewhere' });
    await runner(async (_message, context) => {
      await finishElsewhere(context.jobId);
      return { type: 'succeeded', result: sampleWritingResult() };
    }).run([sqsRecord(late.body)]);
    await runner(async (_message, context) => {
      await finishElsewhere(context.jobId);
      throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess');
    }).run([sqsRecord(lateFailure.body)]);
    for (const { job } of [late, lateFailure]) {
      expect(await h.store.get(job.jobId)).toMatchObject({
        status: 'FAILED',
        error: { code: 'RETRIES_EXHAUSTED' },
      });
    }
    expect(calls(s)).toMatchObject({ succeeded: [], failed: [], duration: [] });
  });
});

describe('what happened to each record', () => {
  const options = (worker: JobWorker<'writing'>): SqsJobHandlerOptions<'writing'> => ({
    kind: 'writing',
    store: h.store,
    worker,
  });
  const one = (worker: JobWorker<'writing'>, body: string) =>
    handleJobRecord(options(worker), sqsRecord(body), lambdaContext('writing'));
  const waits: JobWorker<'writing'> = async () => ({
    type: 'waiting',
    reason: 'transcribing',
    waitMs: 60_000,
  });
  const refuses: JobWorker<'writing'> = async () => {
    throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess');
  };
  const finishedElsewhere =
    (then: JobWorker<'writing'>): JobWorker<'writing'> =>
    async (message, context) => {
      await h.store.fail(context.jobId, { code: 'RETRIES_EXHAUSTED', message: 'failed elsewhere' });
      return then(message, context);
    };

  it('is named for every kind of delivery', async () => {
    const done = await queuedJob();
    expect(await one(succeeds, done.body)).toBe('succeeded');
    expect(await one(succeeds, done.body)).toBe('already-finished');
    const handedOver = await queuedJob();
    expect(await one(waits, handedOver.body)).toBe('waiting');
    expect(await one(waits, handedOver.body)).toBe('already-waiting');
    const refused = await queuedJob();
    expect(await one(refuses, refused.body)).toBe('failed');
    const invalid = await queuedJob();
    expect(await one(succeeds, JSON.stringify({ ...invalid.message, payload: {} }))).toBe('invalid');
    const gone = JSON.stringify({ ...invalid.message, jobId: '0d9c8b7a-6f5e-4d3c-8b2a-190817161514' });
    expect(await one(succeeds, gone)).toBe('missing-job');
    const late = await queuedJob();
    expect(await one(finishedElsewhere(succeeds), late.body)).toBe('finished-concurrently');
    const lateFailure = await queuedJob();
    expect(await one(finishedElsewhere(refuses), lateFailure.body)).toBe('finished-concurrently');
  });
});

describe('what operators read: one line per step, naming the job and the message', () => {
  const logged = async (
    worker: JobWorker<'writing'>,
    record: SQSRecord,
    store: SqsJobHandlerOptions<'writing'>['store'] = h.store,
  ) => {
    const lines: LogLine[] = [];
    const handler = createSqsJobHandler({ kind: 'writing', worker, store, logger: recordingLogger(lines) });
    await handler(sqsEvent([record]), lambdaContext('writing'));
    return lines;
  };
  const model = {
    modelId: 'test-model',
    usage: { inputTokens: 10, outputTokens: 20 },
    latencyMs: 30,
    calls: 1,
  };

  it('a message with no usable job id: an error saying why, then the failed record', async () => {
    for (const [body, reason] of [
      ['not json', expect.stringMatching(/^body is not JSON \(.+\)$/)],
      ['{"jobId":"job-1"}', 'body has no valid jobId'],
    ] as const) {
      const record = sqsRecord(body, { receiveCount: 2 });
      expect(await logged(succeeds, record)).toEqual([
        {
          level: 'error',
          message: expect.stringMatching(/no usable job id/),
          extra: { messageId: record.messageId, reason, receiveCount: '2' },
          keys: {},
        },
        {
          level: 'warn',
          message: expect.stringMatching(/redeliver/),
          extra: {
            messageId: record.messageId,
            receiveCount: '2',
            error: expect.objectContaining({
              message: expect.stringMatching(new RegExp(`^Unidentifiable message ${record.messageId}: body`)),
            }),
          },
          keys: {},
        },
      ]);
    }
  });

  it('an invalid message: an error with its problems', async () => {
    const { job, message } = await queuedJob();
    const record = sqsRecord(JSON.stringify({ ...message, payload: { ...message.payload, essay: 5 } }));
    expect(await logged(succeeds, record)).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/[Ii]nvalid job message/),
        extra: { problems: [expect.objectContaining({ path: 'payload.essay' })] },
        keys: { jobId: job.jobId, messageId: record.messageId },
      },
    ]);
  });

  it('a run: started with its attempt, then succeeded with the model', async () => {
    const { job, body } = await queuedJob();
    const record = sqsRecord(body);
    const keys = { jobId: job.jobId, messageId: record.messageId };
    expect(
      await logged(async () => ({ type: 'succeeded', result: sampleWritingResult(), model }), record),
    ).toEqual([
      { level: 'info', message: 'Job started', extra: { attempt: 1, kind: 'writing' }, keys },
      { level: 'info', message: expect.stringMatching(/succeeded/), extra: { model }, keys },
    ]);
  });

  it('redeliveries: a finished job, a handed-over job, a job that is gone, a job another delivery holds', async () => {
    const done = await queuedJob();
    await runner(succeeds).run([sqsRecord(done.body)]);
    const again = sqsRecord(done.body);
    expect(await logged(succeeds, again)).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/already finished/),
        extra: { status: 'SUCCEEDED' },
        keys: { jobId: done.job.jobId, messageId: again.messageId },
      },
    ]);

    const handedOver = await queuedJob();
    await runner(async () => ({ type: 'waiting', reason: 'transcribing', waitMs: 60_000 })).run([
      sqsRecord(handedOver.body),
    ]);
    expect(await logged(succeeds, sqsRecord(handedOver.body))).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/handed over/),
        extra: { waitingFor: 'transcribing' },
      }),
    ]);

    const gone = JSON.stringify({ ...done.message, jobId: '0d9c8b7a-6f5e-4d3c-8b2a-190817161514' });
    expect(await logged(succeeds, sqsRecord(gone))).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/does not exist/), extra: {} }),
    ]);

    const held = await queuedJob();
    await h.store.start(held.job.jobId, { owner: 'another-delivery', durationMs: 600_000 });
    expect(await logged(succeeds, sqsRecord(held.body))).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/held by another run/),
        extra: { attempts: 1 },
      }),
      expect.objectContaining({
        level: 'warn',
        extra: expect.objectContaining({
          error: expect.objectContaining({
            message: `Job ${held.job.jobId} is being run by another delivery`,
          }),
        }),
      }),
    ]);
  });

  it('outcomes: waiting, failed, retried, a result discarded, a lease lost while handing over', async () => {
    const lastOf = async (worker: JobWorker<'writing'>, store?: SqsJobHandlerOptions<'writing'>['store']) => {
      const { body } = await queuedJob();
      const lines = await logged(worker, sqsRecord(body), store);
      return lines.filter((l) => l.message !== 'Job started' && !/redeliver it/.test(l.message));
    };
    expect(await lastOf(async () => ({ type: 'waiting', reason: 'transcribing', waitMs: 60_000 }))).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/waiting for another function/),
        extra: { reason: 'transcribing' },
      }),
    ]);
    expect(
      await lastOf(async () => {
        throw new PermanentJobError('INSUFFICIENT_CONTENT', 'Nothing to assess');
      }),
    ).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/failed permanently/),
        extra: { code: 'INSUFFICIENT_CONTENT', message: 'Nothing to assess' },
      }),
    ]);
    expect(
      await lastOf(async () => {
        throw new RetryableJobError('busy');
      }),
    ).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/SQS will redeliver the message/),
        extra: { class: 'transient', reason: 'busy', attempt: 1 },
      }),
    ]);
    const failElsewhere = (context: WorkerContext) =>
      h.store.fail(context.jobId, { code: 'RETRIES_EXHAUSTED', message: 'failed elsewhere' });
    expect(
      await lastOf(async (_m, context) => {
        await failElsewhere(context);
        return { type: 'succeeded', result: sampleWritingResult() };
      }),
    ).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/result discarded/),
        extra: {},
      }),
    ]);
    expect(
      await lastOf(async (_m, context) => {
        await failElsewhere(context);
        return { type: 'waiting', reason: 'transcribing', waitMs: 60_000 };
      }),
    ).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/[Ll]ease lost/), extra: {} }),
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/waiting for another function/),
      }),
    ]);
  });

  it('a failed attempt that cannot be noted on the job is a warning, and the record still comes back', async () => {
    const { body } = await queuedJob();
    const record = sqsRecord(body);
    const store: SqsJobHandlerOptions<'writing'>['store'] = {
      start: (...args) => h.store.start(...args),
      succeed: (...args) => h.store.succeed(...args),
      fail: (...args) => h.store.fail(...args),
      wait: (...args) => h.store.wait(...args),
      noteRetry: async () => {
        throw new Error('table down');
      },
    };
    const lines: LogLine[] = [];
    const handler = createSqsJobHandler({
      kind: 'writing',
      store,
      logger: recordingLogger(lines),
      worker: async () => {
        throw new RetryableJobError('busy');
      },
    });
    const response = await handler(sqsEvent([record]), lambdaContext('writing'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/[Cc]ould not note/),
        extra: { error: expect.objectContaining({ message: 'table down' }) },
      }),
    );
  });
});

describe('recoverJobId', () => {
  it('finds a well-formed job id in a parsed body, and nothing in anything else', () => {
    const jobId = '0d9c8b7a-6f5e-4d3c-8b2a-190817161514';
    expect(recoverJobId({ jobId })).toBe(jobId);
    expect(recoverJobId({ jobId: 'job-1' })).toBeUndefined();
    expect(recoverJobId({ jobId: 5 })).toBeUndefined();
    expect(recoverJobId(null)).toBeUndefined();
    expect(recoverJobId(undefined)).toBeUndefined();
    expect(recoverJobId(jobId)).toBeUndefined();
    expect(recoverJobId([jobId])).toBeUndefined();
  });
});
