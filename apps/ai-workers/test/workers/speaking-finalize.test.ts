import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { SpeakingResultSchema, type TranscribeStateChangeEvent } from '@bandup/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SPEAKING_SYSTEM_PROMPT } from '../../src/assess/speaking-prompt.js';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { jobMetrics } from '../../src/runtime/job-metrics.js';
import { createSpeakingWorker } from '../../src/workers/speaking.js';
import {
  createSpeakingFinalizer,
  speakingFinalizeRecordHandler,
} from '../../src/workers/speaking-finalize.js';
import { silentWav } from '../fakes/audio-files.js';
import {
  type ConverseReply,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
} from '../fakes/fake-bedrock.js';
import { type FakeTranscribe, startFakeTranscribe } from '../fakes/fake-transcribe.js';
import { sqsRecord } from '../support/events.js';
import {
  type JobStoreHarness,
  startJobStoreHarness,
  TEST_DATA_BUCKET,
} from '../support/job-store-harness.js';
import { awsClientsFor, speakingMessage, workerContext } from './speaking-test-kit.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const TRANSCRIPT = fixture('speaking-part2-transcript.json');
const ANSWER = fixture('model-answers/speaking-part2.json');

let harness: JobStoreHarness;
let transcribe: FakeTranscribe;
let bedrock: FakeBedrock | undefined;
let bedrockClient: BedrockRuntime | undefined;
let clients: ReturnType<typeof awsClientsFor>;

beforeEach(async () => {
  harness = await startJobStoreHarness();
  transcribe = await startFakeTranscribe();
  clients = awsClientsFor(harness.s3, transcribe);
});
afterEach(async () => {
  bedrockClient?.destroy();
  await bedrock?.close();
  bedrock = bedrockClient = undefined;
  clients.destroy();
  await transcribe.close();
  await harness.close();
});

/** Submits and starts a Speaking job for real: job RUNNING, context written, Transcribe job started. */
async function runningSpeakingJob(audioSeconds = 95, language?: 'en' | 'vi') {
  const { job } = await harness.store.create({
    userId: 'learner-42',
    kind: 'speaking',
    principal: 'arn:aws:iam::111111111111:role/backend',
    requestHash: 'hash',
  });
  await harness.store.start(job.jobId, { owner: 'speaking-run', durationMs: 60_000 });
  const message = speakingMessage({ jobId: job.jobId, part: 2, ...(language ? { language } : {}) });
  harness.s3.put(TEST_DATA_BUCKET, message.payload.audioKey, {
    body: silentWav(audioSeconds),
    contentType: 'audio/wav',
  });
  const speaking = createSpeakingWorker({
    s3: clients.s3Objects,
    transcription: clients.transcription,
    environment: 'dev',
    dataBucket: TEST_DATA_BUCKET,
  });
  const outcome = await speaking(message, workerContext(message));
  if (outcome.type !== 'waiting') throw new Error('the speaking worker should wait for Transcribe');
  // What the job runner does with a `waiting` outcome: hand the job over.
  expect(await harness.store.wait(job.jobId, 'speaking-run', outcome.reason, outcome.waitMs)).toBe(true);
  return { jobId: job.jobId, jobName: `bandup-dev-${job.jobId}` };
}

/** What Transcribe does on completion: writes the transcript where it was told to. */
function transcribeCompletes(jobId: string, jobName: string, transcript = TRANSCRIPT) {
  harness.s3.put(TEST_DATA_BUCKET, `transcripts/dev/${jobId}/transcript.json`, {
    body: Buffer.from(transcript),
    contentType: 'application/json',
  });
  transcribe.complete(jobName);
}

function stateChange(
  jobName: string,
  status: 'COMPLETED' | 'FAILED',
  reason?: string,
): TranscribeStateChangeEvent {
  return {
    version: '0',
    id: 'f1d4e5b6-0000-4000-8000-000000000001',
    'detail-type': 'Transcribe Job State Change',
    source: 'aws.transcribe',
    account: '111111111111',
    time: '2026-11-29T02:00:00Z',
    region: 'ap-southeast-1',
    resources: [],
    detail: {
      TranscriptionJobName: jobName,
      TranscriptionJobStatus: status,
      ...(reason ? { FailureReason: reason } : {}),
    },
  };
}

async function finalizer(converse: readonly ConverseReply[] = [ANSWER], maxAttempts?: number) {
  bedrock = await startFakeBedrock({ converse });
  bedrockClient = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: bedrock.url,
    credentials: FAKE_CREDENTIALS,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  return createSpeakingFinalizer({
    store: harness.store,
    s3: clients.s3Objects,
    transcription: clients.transcription,
    model: new BedrockConverseModel(bedrockClient, 'google.gemma-3-12b-it'),
    environment: 'dev',
    dataBucket: TEST_DATA_BUCKET,
    logger: new Logger({ serviceName: 'finalize-test' }),
  });
}

describe('speaking-finalize', () => {
  it('on COMPLETED: measures the transcript, scores it and stores the computed band', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribeCompletes(jobId, jobName);
    const finalize = await finalizer();

    // Criteria 6.5, 6, 6, 6.5 -> mean 6.25 -> rounded down to the half band: 6.
    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toEqual({ type: 'succeeded', jobId, band: 6 });

    const job = await harness.store.get(jobId);
    expect(job?.status).toBe('SUCCEEDED');
    const result = SpeakingResultSchema.parse(job?.result);
    expect(result.band).toBe(6);
    expect(result.part).toBe(2);
    expect(result.criteria.pronunciation).toMatchObject({ band: 6.5, estimated: true });
    expect(result.features).toEqual({
      durationSeconds: 27.4,
      wordCount: 61,
      wordsPerMinute: 124.8,
      pauseCount: 3,
      meanPauseSeconds: 1,
      fillerCount: 4,
      fillersPer100Words: 6.6,
      meanConfidence: 0.967,
    });
    expect(result.transcript).toMatch(/^Well, I'd like to talk about a small beach/);
    expect(job?.model).toMatchObject({ modelId: 'google.gemma-3-12b-it', calls: 1 });

    const call = bedrock!.converseCalls[0]!;
    expect(call.body.system).toEqual([{ text: SPEAKING_SYSTEM_PROMPT }]);
    expect(call.body.inferenceConfig).toEqual({ maxTokens: 2500, temperature: 0.1 });
    const prompt = call.body.messages[0]!.content[0]!.text!;
    expect(prompt).toContain('speech rate: 124.8 words per minute');
    expect(prompt).toContain('pauses longer than 0.5 s: 3, mean 1 s, longest 1.2 s');
    expect(prompt).toContain('"Xep" at 8.4 s (0.42)');
    expect(prompt).toContain('Part 2 (individual long turn');
  });

  it('carries the requested feedback language from the submission through the job context to the model', async () => {
    const { jobId, jobName } = await runningSpeakingJob(95, 'vi');
    transcribeCompletes(jobId, jobName);
    const finalize = await finalizer([fixture('model-answers/speaking-part2-vi.json')]);
    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toEqual({ type: 'succeeded', jobId, band: 6 });
    const result = SpeakingResultSchema.parse((await harness.store.get(jobId))?.result);
    expect(result.language).toBe('vi');
    expect(result.criteria.lexicalResource.feedback).toMatch(/^Vốn từ đủ cho chủ đề/);
    expect(bedrock!.converseCalls[0]!.body.messages[0]!.content[0]!.text).toContain(
      'in Vietnamese (tiếng Việt)',
    );
  });

  it("on FAILED: fails the job with Transcribe's reason and calls no model", async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribe.fail(jobName, 'The media format provided does not match the detected media format.');
    const finalize = await finalizer();

    expect(await finalize(stateChange(jobName, 'FAILED'))).toEqual({
      type: 'failed',
      jobId,
      code: 'TRANSCRIPTION_FAILED',
    });
    const job = await harness.store.get(jobId);
    expect(job?.status).toBe('FAILED');
    expect(job?.error).toMatchObject({
      code: 'TRANSCRIPTION_FAILED',
      message:
        'Amazon Transcribe could not transcribe the recording: The media format provided does not match the detected media format.',
    });
    expect(bedrock!.requests).toHaveLength(0);
  });

  it('fails TRANSCRIPT_EMPTY when nothing (or only hesitation) was recognised', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    const onlyFillers = {
      results: {
        transcripts: [{ transcript: 'Um.' }],
        items: [
          {
            type: 'pronunciation',
            start_time: '1.0',
            end_time: '1.3',
            alternatives: [{ content: 'Um', confidence: '0.6' }],
          },
          { type: 'punctuation', alternatives: [{ content: '.', confidence: '0.0' }] },
        ],
      },
    };
    transcribeCompletes(jobId, jobName, JSON.stringify(onlyFillers));
    const finalize = await finalizer();

    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toMatchObject({
      type: 'failed',
      code: 'TRANSCRIPT_EMPTY',
    });
    expect((await harness.store.get(jobId))?.error?.code).toBe('TRANSCRIPT_EMPTY');
    expect(bedrock!.requests).toHaveLength(0);
  });

  it('keeps the raw answer on the job when the model fails twice', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribeCompletes(jobId, jobName);
    const finalize = await finalizer(['{"criteria": "six"}', 'I think the band is 6.']);

    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toMatchObject({
      type: 'failed',
      code: 'MODEL_OUTPUT_INVALID',
    });
    const job = await harness.store.get(jobId);
    expect(job?.error).toMatchObject({
      code: 'MODEL_OUTPUT_INVALID',
      details: { rawAnswer: 'I think the band is 6.', firstRawAnswer: '{"criteria": "six"}' },
    });
  });

  it('changes nothing for a redelivered event of a finished job', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribeCompletes(jobId, jobName);
    const finalize = await finalizer([ANSWER]);
    await finalize(stateChange(jobName, 'COMPLETED'));
    const finished = await harness.store.get(jobId);

    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toEqual({
      type: 'ignored',
      reason: 'already-finished',
    });
    expect(await finalize(stateChange(jobName, 'FAILED', 'late failure'))).toEqual({
      type: 'ignored',
      reason: 'already-finished',
    });
    expect(await harness.store.get(jobId)).toEqual(finished);
    expect(bedrock!.converseCalls).toHaveLength(1);
  });

  it('counts each Speaking job once as succeeded or failed where it finishes (the failure-rate alarm reads these)', async () => {
    const succeeded = vi.spyOn(jobMetrics, 'succeeded');
    const failed = vi.spyOn(jobMetrics, 'failed');
    try {
      const done = await runningSpeakingJob();
      transcribeCompletes(done.jobId, done.jobName);
      const finalize = await finalizer([ANSWER]);
      await finalize(stateChange(done.jobName, 'COMPLETED'));
      await finalize(stateChange(done.jobName, 'COMPLETED'));
      const lost = await runningSpeakingJob();
      transcribe.fail(lost.jobName, 'The media format provided does not match the detected media format.');
      await finalize(stateChange(lost.jobName, 'FAILED'));
      await finalize(stateChange(lost.jobName, 'FAILED'));

      expect(succeeded.mock.calls).toEqual([['speaking']]);
      expect(failed.mock.calls).toEqual([['speaking']]);
    } finally {
      succeeded.mockRestore();
      failed.mockRestore();
    }
  });

  it('ignores events of other environments and of jobs that are not ours', async () => {
    const finalize = await finalizer();
    expect(
      await finalize(stateChange('bandup-prod-0b6f2d8e-3f4a-4c1b-9d2e-5a6b7c8d9e0f', 'COMPLETED')),
    ).toEqual({
      type: 'ignored',
      reason: 'other-environment',
    });
    expect(await finalize(stateChange('someone-elses-job', 'COMPLETED'))).toEqual({
      type: 'ignored',
      reason: 'foreign-job-name',
    });
    expect(
      await finalize(stateChange('bandup-dev-0b6f2d8e-3f4a-4c1b-9d2e-5a6b7c8d9e0f', 'COMPLETED')),
    ).toEqual({
      type: 'ignored',
      reason: 'unknown-job',
    });
    expect(transcribe.requests).toHaveLength(0);
  });

  it.each([
    ['had no duration (WebM from MediaRecorder)', null],
    ['understated it (a header can lie)', 15],
  ])('enforces the duration limit on the speech when the container %s', async (_case, containerSeconds) => {
    const { jobId, jobName } = await runningSpeakingJob();
    const contextKey = `transcripts/dev/${jobId}/context.json`;
    const context = JSON.parse(harness.s3.get(TEST_DATA_BUCKET, contextKey)!.body.toString());
    harness.s3.put(TEST_DATA_BUCKET, contextKey, {
      body: Buffer.from(JSON.stringify({ ...context, audioSeconds: containerSeconds, maxSeconds: 20 })),
      contentType: 'application/json',
    });
    transcribeCompletes(jobId, jobName);
    const finalize = await finalizer();

    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toMatchObject({
      type: 'failed',
      code: 'AUDIO_TOO_LONG',
    });
    expect((await harness.store.get(jobId))?.error?.message).toBe(
      'Speech continues until 28 s; Speaking Part 2 recordings may last at most 20 s',
    );
    expect(bedrock!.requests).toHaveLength(0);
  });

  it('leaves a transient model failure to SQS redelivery: the job stays RUNNING with the reason noted', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribeCompletes(jobId, jobName);
    const down = {
      status: 500,
      headers: { 'x-amzn-errortype': 'InternalServerException' },
      body: { message: 'boom' },
    };
    const finalize = await finalizer([down, ANSWER], 1);

    await expect(finalize(stateChange(jobName, 'COMPLETED'))).rejects.toMatchObject({
      name: 'InternalServerException',
    });
    expect(await harness.store.get(jobId)).toMatchObject({
      status: 'RUNNING',
      lastAttemptError: expect.stringContaining('InternalServerException'),
    });
    // The redelivered event finishes the job.
    expect(await finalize(stateChange(jobName, 'COMPLETED'))).toMatchObject({ type: 'succeeded', band: 6 });
  });

  it('reads SQS records as EventBridge events and throws back bodies that are not', async () => {
    const { jobId, jobName } = await runningSpeakingJob();
    transcribe.fail(jobName, 'Unsupported audio.');
    const handle = speakingFinalizeRecordHandler(await finalizer());

    await expect(handle(sqsRecord('not json'))).rejects.toThrow(/is not JSON/);
    await expect(handle(sqsRecord(JSON.stringify({ source: 'aws.s3', detail: {} })))).rejects.toThrow(
      /not a Transcribe Job State Change event: .*source/,
    );
    await handle(sqsRecord(JSON.stringify(stateChange(jobName, 'FAILED', 'Unsupported audio.'))));
    expect((await harness.store.get(jobId))?.error?.code).toBe('TRANSCRIPTION_FAILED');
  });
});
