import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Objects } from '../../src/clients/s3-objects.js';
import {
  createDeadLetterHandler,
  jobIdOfDeadMessage,
  queueOfDeadLetterArn,
} from '../../src/dead-letter/dead-letter-processor.js';
import { logger } from '../../src/runtime/observability.js';
import { startFakeHttpServer } from '../fakes/fake-http-server.js';
import { BACKEND_ROLE_ARN, lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import {
  type JobStoreHarness,
  startJobStoreHarness,
  TEST_DATA_BUCKET,
} from '../support/job-store-harness.js';

const ARN = (name: string) => `arn:aws:sqs:ap-southeast-1:123456789012:bandup-prod-${name}`;

let h: JobStoreHarness;
let handler: ReturnType<typeof createDeadLetterHandler>;
beforeAll(async () => {
  h = await startJobStoreHarness();
  handler = createDeadLetterHandler({
    store: h.store,
    s3: h.s3Objects,
    dataBucket: TEST_DATA_BUCKET,
    logger,
  });
});
afterAll(async () => {
  await h.close();
});

const newJob = () =>
  h.store
    .create({ userId: 'learner-dl', kind: 'speaking', principal: BACKEND_ROLE_ARN, requestHash: 'x' })
    .then((r) => r.job);

describe('dead-letter function', () => {
  it('maps DLQ ARNs to catalogue queues, longest name first', () => {
    expect(queueOfDeadLetterArn(ARN('writing-dlq'))).toBe('writing');
    expect(queueOfDeadLetterArn(ARN('speaking-dlq'))).toBe('speaking');
    expect(queueOfDeadLetterArn(ARN('speaking-finalize-dlq'))).toBe('speaking-finalize');
    expect(queueOfDeadLetterArn(ARN('writing'))).toBeUndefined();
  });

  it('recovers the job id of a Transcribe event from its transcription job name', () => {
    const jobId = '5b0c9d8e-7f6a-4b5c-9d4e-3f2a1b0c9d8e';
    const event = JSON.stringify({
      source: 'aws.transcribe',
      'detail-type': 'Transcribe Job State Change',
      detail: { TranscriptionJobName: `bandup-prod-${jobId}`, TranscriptionJobStatus: 'COMPLETED' },
    });
    expect(jobIdOfDeadMessage('speaking-finalize', event)).toBe(jobId);
    expect(
      jobIdOfDeadMessage('speaking-finalize', '{"detail":{"TranscriptionJobName":"other-job"}}'),
    ).toBeNull();
  });

  it('archives a malformed message under unknown/ without failing the batch', async () => {
    const record = sqsRecord('<<not json>>', { queueArn: ARN('flashcards-dlq'), receiveCount: 3 });
    const answer = await handler(sqsEvent([record]), lambdaContext('dead-letter'));
    expect(answer.batchItemFailures).toEqual([]);
    const archived = h.s3.get(TEST_DATA_BUCKET, `dead-letters/flashcards/unknown/${record.messageId}.json`);
    expect(JSON.parse(archived!.body.toString('utf8'))).toMatchObject({ body: '<<not json>>', jobId: null });
  });

  it('fails a running job of a speaking-finalize event and leaves a finished job alone', async () => {
    const running = await newJob();
    // Its last run failed transiently (which released its lease) and the message ran out of receives.
    await h.store.start(running.jobId, { owner: 'run-3', durationMs: 60_000 });
    await h.store.noteRetry(running.jobId, 'AccessDeniedException: arn:aws:iam::123456789012:role/x', {
      owner: 'run-3',
    });
    const finished = await newJob();
    await h.store.fail(finished.jobId, { code: 'AUDIO_TOO_LONG', message: 'too long' });
    const event = (jobId: string) =>
      JSON.stringify({
        detail: { TranscriptionJobName: `bandup-prod-${jobId}`, TranscriptionJobStatus: 'COMPLETED' },
      });
    const answer = await handler(
      sqsEvent([
        sqsRecord(event(running.jobId), { queueArn: ARN('speaking-finalize-dlq'), receiveCount: 4 }),
        sqsRecord(event(finished.jobId), { queueArn: ARN('speaking-finalize-dlq') }),
      ]),
      lambdaContext('dead-letter'),
    );
    expect(answer.batchItemFailures).toEqual([]);
    const failed = await h.store.get(running.jobId);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: {
        code: 'RETRIES_EXHAUSTED',
        details: {
          queue: 'speaking-finalize',
          receiveCount: 4,
          lastAttemptError: expect.stringContaining('AccessDenied'),
        },
      },
    });
    // The service's text (an ARN with the account) stays in details, out of the learner's message.
    expect(failed?.error?.message).toBe('The job could not be completed after 4 attempts');
    expect(await h.store.get(finished.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'AUDIO_TOO_LONG' },
    });
  });

  it('does not fail a job a live run holds, and names DEADLINE_EXCEEDED when every attempt ran out of time', async () => {
    const held = await newJob();
    await h.store.start(held.jobId, { owner: 'live-run', durationMs: 600_000 });
    const outOfTime = await newJob();
    await h.store.start(outOfTime.jobId, { owner: 'slow-run', durationMs: 600_000 });
    await h.store.noteRetry(outOfTime.jobId, '2 s left of the function time', {
      owner: 'slow-run',
      code: 'DEADLINE_EXCEEDED',
    });
    const answer = await handler(
      sqsEvent([
        sqsRecord(JSON.stringify({ jobId: held.jobId }), { queueArn: ARN('writing-dlq'), receiveCount: 3 }),
        sqsRecord(JSON.stringify({ jobId: outOfTime.jobId }), {
          queueArn: ARN('writing-dlq'),
          receiveCount: 3,
        }),
      ]),
      lambdaContext('dead-letter'),
    );
    expect(answer.batchItemFailures).toEqual([]);
    expect((await h.store.get(held.jobId))?.status).toBe('RUNNING');
    expect(await h.store.get(outOfTime.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'DEADLINE_EXCEEDED' },
    });
  });

  it('reports a record failed (to retry from the DLQ) when the archive cannot be written', async () => {
    const job = await newJob();
    // S3 refuses the write (say, the role lost kms:GenerateDataKey on the bucket key).
    const denying = await startFakeHttpServer({
      'PUT /.*': () => ({
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      }),
    });
    const s3 = createS3Objects({ endpoint: denying.url, forcePathStyle: true });
    try {
      const broken = createDeadLetterHandler({ store: h.store, s3, dataBucket: TEST_DATA_BUCKET, logger });
      const record = sqsRecord(JSON.stringify({ jobId: job.jobId }), { queueArn: ARN('speaking-dlq') });
      const answer = await broken(sqsEvent([record]), lambdaContext('dead-letter'));
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(denying.requests).toHaveLength(1);
      expect((await h.store.get(job.jobId))?.status).toBe('QUEUED');
    } finally {
      s3.destroy();
      await denying.close();
    }
  });
});
