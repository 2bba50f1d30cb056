import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { SpeakingResultSchema } from '@bandup/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { JOB_DEADLINES } from '../../src/jobs/job-deadlines.js';
import { sweepJobs } from '../../src/sweeper/sweep-jobs.js';
import { createSpeakingWorker } from '../../src/workers/speaking.js';
import {
  createSpeakingFinalizer,
  speakingFinalizeRecordHandler,
} from '../../src/workers/speaking-finalize.js';
import { silentWav } from '../fakes/audio-files.js';
import { FAKE_CREDENTIALS, type FakeBedrock, startFakeBedrock } from '../fakes/fake-bedrock.js';
import { type FakeTranscribe, startFakeTranscribe } from '../fakes/fake-transcribe.js';
import { lambdaContext, sqsRecord } from '../support/events.js';
import { TEST_DATA_BUCKET } from '../support/job-store-harness.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';
import { awsClientsFor, speakingMessage, workerContext } from '../workers/speaking-test-kit.js';

/**
 * The sweeper over time, on a controlled clock: a Speaking job whose Transcribe completion event
 * was lost is finished through speaking-finalize; jobs nothing will finish end `TIMED_OUT`.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const T0 = Date.parse('2026-06-10T09:00:00.000Z');
let clockMs = T0;
let h: PlatformHarness;
let transcribe: FakeTranscribe;
let bedrock: FakeBedrock;
let clients: ReturnType<typeof awsClientsFor>;
const logger = new Logger({ logLevel: 'SILENT' });
const finalizeQueueUrl = () => `${h.sqs.url}/123456789012/bandup-dev-speaking-finalize`;

beforeAll(async () => {
  h = await startPlatformHarness(() => new Date(clockMs));
  transcribe = await startFakeTranscribe();
  bedrock = await startFakeBedrock({ converse: () => fixture('model-answers/speaking-part2.json') });
  clients = awsClientsFor(h.s3, transcribe);
});
afterAll(async () => {
  clients.destroy();
  await bedrock.close();
  await transcribe.close();
  await h.close();
});

const sweepDeps = () => ({
  store: h.store,
  transcription: clients.transcription,
  sqs: h.sqsClient,
  finalizeQueueUrl: finalizeQueueUrl(),
  environment: 'dev' as const,
  logger,
  now: () => new Date(clockMs),
});
const sweep = () => sweepJobs(sweepDeps());

/** A Speaking job started for real and handed over to Transcribe at `clockMs`. */
async function waitingSpeakingJob(): Promise<{ jobId: string; jobName: string }> {
  const { job } = await h.store.create({
    userId: 'learner-42',
    kind: 'speaking',
    principal: 'arn:aws:iam::111111111111:role/backend',
    requestHash: 'hash',
  });
  await h.store.start(job.jobId, { owner: 'speaking-run', durationMs: 60_000 });
  const message = speakingMessage({ jobId: job.jobId, part: 2 });
  h.s3.put(TEST_DATA_BUCKET, message.payload.audioKey, { body: silentWav(95), contentType: 'audio/wav' });
  const outcome = await createSpeakingWorker({
    s3: clients.s3Objects,
    transcription: clients.transcription,
    environment: 'dev',
    dataBucket: TEST_DATA_BUCKET,
  })(message, workerContext(message));
  if (outcome.type !== 'waiting') throw new Error('expected the job to wait for Transcribe');
  await h.store.wait(job.jobId, 'speaking-run', outcome.reason, outcome.waitMs);
  return { jobId: job.jobId, jobName: `bandup-dev-${job.jobId}` };
}

describe('sweeper', () => {
  it('loads its SQS client only when a lost Transcribe event has to be sent again', async () => {
    clockMs = T0;
    let loads = 0;
    const sqs = async () => {
      loads += 1;
      return h.sqsClient;
    };
    const sweepLazily = () => sweepJobs({ ...sweepDeps(), sqs });
    const { jobId, jobName } = await waitingSpeakingJob();
    h.s3.put(TEST_DATA_BUCKET, `transcripts/dev/${jobId}/transcript.json`, {
      body: Buffer.from(fixture('speaking-part2-transcript.json')),
      contentType: 'application/json',
    });
    transcribe.complete(jobName);

    clockMs = T0 + JOB_DEADLINES.transcribeMs - 1000;
    expect((await sweepLazily()).overdue).toBe(0);
    expect(loads).toBe(0);

    clockMs = T0 + JOB_DEADLINES.transcribeMs + 1000;
    const sentBefore = h.sqs.sent.length;
    expect((await sweepLazily()).actions['event-resent']).toBe(1);
    expect(loads).toBe(1);
    expect(h.sqs.sent.slice(sentBefore).map((sent) => sent.queueUrl)).toEqual([finalizeQueueUrl()]);
  });

  it('finishes a Speaking job whose Transcribe completion event was lost', async () => {
    clockMs = T0;
    const { jobId, jobName } = await waitingSpeakingJob();
    // Transcribe finishes and writes the transcript; EventBridge never delivers the event.
    h.s3.put(TEST_DATA_BUCKET, `transcripts/dev/${jobId}/transcript.json`, {
      body: Buffer.from(fixture('speaking-part2-transcript.json')),
      contentType: 'application/json',
    });
    transcribe.complete(jobName);

    // Before the deadline the sweeper leaves it alone.
    clockMs = T0 + JOB_DEADLINES.transcribeMs - 1000;
    expect((await sweep()).overdue).toBe(0);

    clockMs = T0 + JOB_DEADLINES.transcribeMs + 1000;
    const sentBefore = h.sqs.sent.length;
    expect((await sweep()).actions['event-resent']).toBe(1);
    const resent = h.sqs.sent.slice(sentBefore);
    expect(resent).toHaveLength(1);
    expect(resent[0]?.queueUrl).toBe(finalizeQueueUrl());
    // The next run does not send it again while the extension runs.
    expect((await sweep()).overdue).toBe(0);

    // speaking-finalize receives the re-sent event and finishes the job the usual way.
    const finalize = speakingFinalizeRecordHandler(
      createSpeakingFinalizer({
        store: h.store,
        s3: clients.s3Objects,
        transcription: clients.transcription,
        model: new BedrockConverseModel(
          createBedrockRuntimeClient({
            region: 'us-east-1',
            endpoint: bedrock.url,
            credentials: FAKE_CREDENTIALS,
          }),
          'google.gemma-3-12b-it',
        ),
        environment: 'dev',
        dataBucket: TEST_DATA_BUCKET,
        logger,
      }),
    );
    await finalize(sqsRecord(resent[0]!.body), lambdaContext('speaking-finalize'));
    const job = await h.store.get(jobId);
    expect(job?.status).toBe('SUCCEEDED');
    expect(SpeakingResultSchema.parse(job?.result).band).toBe(6);
    expect(job?.sweepShard).toBeUndefined();
  });

  it('fails TIMED_OUT a Speaking job Transcribe never heard of, and one Transcribe works on past the maximum age', async () => {
    clockMs = T0;
    const lost = await waitingSpeakingJob();
    transcribe.jobs.delete(lost.jobName);
    const slow = await waitingSpeakingJob();

    clockMs = T0 + JOB_DEADLINES.transcribeMs + 1000;
    const first = await sweep();
    expect(first.actions).toMatchObject({ 'timed-out': 1, extended: 1 });
    expect(await h.store.get(lost.jobId)).toMatchObject({
      status: 'FAILED',
      error: { code: 'TIMED_OUT', message: expect.stringContaining('submit it again') },
    });
    expect((await h.store.get(slow.jobId))?.status).toBe('RUNNING');

    clockMs = T0 + JOB_DEADLINES.maxAgeMs + 1000;
    expect((await sweep()).actions['timed-out']).toBe(1);
    expect((await h.store.get(slow.jobId))?.error?.code).toBe('TIMED_OUT');
  });

  it('fails TIMED_OUT a queued job whose message was lost, and leaves a job a live run holds', async () => {
    clockMs = T0;
    const { job: orphan } = await h.store.create({
      userId: 'u',
      kind: 'writing',
      principal: 'arn:aws:iam::111111111111:role/backend',
      requestHash: 'h',
    });
    const { job: held } = await h.store.create({
      userId: 'u',
      kind: 'flashcards',
      principal: 'arn:aws:iam::111111111111:role/backend',
      requestHash: 'h',
    });
    await h.store.start(held.jobId, { owner: 'long-run', durationMs: 2 * JOB_DEADLINES.queueMs });
    clockMs = T0 + JOB_DEADLINES.queueMs + 1000;
    const report = await sweep();
    expect(await h.store.get(orphan.jobId)).toMatchObject({ status: 'FAILED', error: { code: 'TIMED_OUT' } });
    expect((await h.store.get(held.jobId))?.status).toBe('RUNNING');
    expect(report.actions.skipped).toBeGreaterThanOrEqual(1);
  });
});
