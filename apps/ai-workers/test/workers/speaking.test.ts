import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentJobError, RetryableJobError } from '../../src/runtime/errors.js';
import { createSpeakingWorker } from '../../src/workers/speaking.js';
import { headerlessMp3, silentWav } from '../fakes/audio-files.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { type FakeTranscribe, startFakeTranscribe } from '../fakes/fake-transcribe.js';
import { awsClientsFor, DATA_BUCKET, speakingMessage, workerContext } from './speaking-test-kit.js';

let s3: FakeS3;
let transcribe: FakeTranscribe;
let clients: ReturnType<typeof awsClientsFor>;

beforeEach(async () => {
  s3 = await startFakeS3();
  transcribe = await startFakeTranscribe();
  clients = awsClientsFor(s3, transcribe);
});
afterEach(async () => {
  clients.destroy();
  await s3.close();
  await transcribe.close();
});

function worker(kmsKeyId?: string) {
  return createSpeakingWorker({
    s3: clients.s3Objects,
    transcription: clients.transcription,
    environment: 'dev',
    dataBucket: DATA_BUCKET,
    ...(kmsKeyId ? { transcribeOutputKmsKeyId: kmsKeyId } : {}),
  });
}

async function rejection(promise: Promise<unknown>): Promise<PermanentJobError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PermanentJobError);
  return error as PermanentJobError;
}

describe('speaking worker', () => {
  it('checks the recording, records the job context and starts the Transcribe job, then waits', async () => {
    const message = speakingMessage({ part: 2 });
    s3.put(DATA_BUCKET, message.payload.audioKey, { body: silentWav(95), contentType: 'audio/wav' });

    const outcome = await worker('arn:aws:kms:ap-southeast-1:111111111111:key/abcd')(
      message,
      workerContext(message),
    );

    const jobName = `bandup-dev-${message.jobId}`;
    expect(outcome).toEqual({
      type: 'waiting',
      waitMs: 3_600_000,
      reason: `Waiting for Amazon Transcribe job ${jobName}`,
    });
    expect(transcribe.callsTo('StartTranscriptionJob')).toHaveLength(1);
    expect(transcribe.jobs.get(jobName)).toMatchObject({
      TranscriptionJobName: jobName,
      LanguageCode: 'en-GB',
      MediaFormat: 'wav',
      Media: { MediaFileUri: `s3://${DATA_BUCKET}/${message.payload.audioKey}` },
      OutputBucketName: DATA_BUCKET,
      OutputKey: `transcripts/dev/${message.jobId}/transcript.json`,
      OutputEncryptionKMSKeyId: 'arn:aws:kms:ap-southeast-1:111111111111:key/abcd',
      Settings: { ShowAlternatives: false, ShowSpeakerLabels: false },
    });
    const context = JSON.parse(
      s3.get(DATA_BUCKET, `transcripts/dev/${message.jobId}/context.json`)!.body.toString(),
    );
    expect(context).toEqual({
      jobId: message.jobId,
      userId: message.userId,
      part: 2,
      questions: message.payload.questions,
      audioKey: message.payload.audioKey,
      contentType: 'audio/wav',
      audioBytes: silentWav(95).length,
      audioSeconds: 95,
      maxSeconds: 180,
      language: 'en',
    });
  });

  it('never assesses a recording replaced after its checks: the read fails as retryable, the retry re-checks', async () => {
    const message = speakingMessage({ part: 2 });
    const key = message.payload.audioKey;
    s3.put(DATA_BUCKET, key, { body: silentWav(95), contentType: 'audio/wav' });
    // The learner uploads again under the same key between the worker's HEAD and its GET.
    const racing = Object.create(clients.s3Objects) as typeof clients.s3Objects;
    racing.head = async (bucket, objectKey) => {
      const head = await clients.s3Objects.head(bucket, objectKey);
      s3.put(DATA_BUCKET, key, { body: silentWav(300), contentType: 'audio/wav' });
      return head;
    };
    const racingWorker = createSpeakingWorker({
      s3: racing,
      transcription: clients.transcription,
      environment: 'dev',
      dataBucket: DATA_BUCKET,
    });

    const error = await racingWorker(message, workerContext(message)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableJobError);
    expect((error as Error).message).toBe(
      `The upload at "${key}" changed while it was being checked; the next attempt checks it again`,
    );
    expect(((error as Error).cause as Error).name).toBe('PreconditionFailed');
    expect(transcribe.callsTo('StartTranscriptionJob')).toHaveLength(0);
    expect(s3.get(DATA_BUCKET, `transcripts/dev/${message.jobId}/context.json`)).toBeUndefined();

    // The redelivery checks the object now there: 300 s is too long for Part 2.
    const retried = await rejection(worker()(message, workerContext(message)));
    expect(retried.code).toBe('AUDIO_TOO_LONG');
  });

  it('treats an already started Transcribe job (a redelivered message) as started', async () => {
    const message = speakingMessage({ extension: 'mp3' });
    s3.put(DATA_BUCKET, message.payload.audioKey, { body: headerlessMp3(200), contentType: 'audio/mpeg' });
    await worker()(message, workerContext(message));
    const again = await worker()(message, workerContext(message));
    expect(again.type).toBe('waiting');
    expect(transcribe.callsTo('StartTranscriptionJob')).toHaveLength(2);
    expect(transcribe.jobs.size).toBe(1);
    expect(transcribe.jobs.get(`bandup-dev-${message.jobId}`)?.MediaFormat).toBe('mp3');
  });

  it('rejects an over-long recording for its part before any Transcribe call', async () => {
    const message = speakingMessage({ part: 2 });
    s3.put(DATA_BUCKET, message.payload.audioKey, { body: silentWav(181), contentType: 'audio/wav' });
    const error = await rejection(worker()(message, workerContext(message)));
    expect(error.code).toBe('AUDIO_TOO_LONG');
    expect(error.message).toBe(
      'The recording lasts 181 s; Speaking Part 2 recordings may last at most 180 s',
    );
    expect(transcribe.requests).toHaveLength(0);
    expect(s3.get(DATA_BUCKET, `transcripts/dev/${message.jobId}/context.json`)).toBeUndefined();
  });

  it('accepts the same length for Part 1, whose limit is longer', async () => {
    const message = speakingMessage({ part: 1 });
    s3.put(DATA_BUCKET, message.payload.audioKey, { body: silentWav(181), contentType: 'audio/wav' });
    expect((await worker()(message, workerContext(message))).type).toBe('waiting');
  });

  it('fails UPLOAD_NOT_FOUND when nothing was uploaded', async () => {
    const message = speakingMessage();
    const error = await rejection(worker()(message, workerContext(message)));
    expect(error.code).toBe('UPLOAD_NOT_FOUND');
    expect(error.message).toContain(message.payload.audioKey);
    expect(transcribe.requests).toHaveLength(0);
  });

  it('fails UNSUPPORTED_MEDIA for a type that is not allowed or does not match the key', async () => {
    const video = speakingMessage();
    s3.put(DATA_BUCKET, video.payload.audioKey, { body: silentWav(5), contentType: 'video/mp4' });
    expect((await rejection(worker()(video, workerContext(video)))).message).toMatch(
      /"video\/mp4" is not allowed/,
    );

    const mismatch = speakingMessage({ extension: 'wav' });
    s3.put(DATA_BUCKET, mismatch.payload.audioKey, { body: headerlessMp3(10), contentType: 'audio/mpeg' });
    const error = await rejection(worker()(mismatch, workerContext(mismatch)));
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toMatch(/key ends in "\.wav"; expected "\.mp3"/);

    const garbage = speakingMessage();
    s3.put(DATA_BUCKET, garbage.payload.audioKey, {
      body: Buffer.from('not a recording'),
      contentType: 'audio/wav',
    });
    expect((await rejection(worker()(garbage, workerContext(garbage)))).code).toBe('UNSUPPORTED_MEDIA');
    expect(transcribe.requests).toHaveLength(0);
  });

  it('fails FILE_TOO_LARGE above the upload limit without downloading the object', async () => {
    const message = speakingMessage();
    s3.put(DATA_BUCKET, message.payload.audioKey, {
      body: Buffer.alloc(25 * 1024 * 1024 + 1),
      contentType: 'audio/wav',
    });
    const error = await rejection(worker()(message, workerContext(message)));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(s3.requests.map((r) => r.method)).toEqual(['HEAD']);
    expect(transcribe.requests).toHaveLength(0);
  });
});
