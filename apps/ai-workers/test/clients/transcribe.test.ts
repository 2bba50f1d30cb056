import { describe, expect, it } from 'vitest';
import { createTranscribeClient, TranscriptionJobs } from '../../src/clients/transcribe.js';
import { type FakeHttpServer, startFakeHttpServer } from '../fakes/fake-http-server.js';
import { type FakeTranscribe, startFakeTranscribe } from '../fakes/fake-transcribe.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { resignedAuthorization, SIGNING_CREDENTIALS } from '../support/sigv4-resign.js';

/** Transcribe's two batch calls over the light client's JSON 1.1 protocol. */
const CREDENTIALS = SIGNING_CREDENTIALS;
const REGION = 'ap-southeast-1';

const opened = closedAfterEach();
const jobsAt = (url: string): TranscriptionJobs =>
  new TranscriptionJobs(
    opened(createTranscribeClient({ region: REGION, endpoint: url, credentials: CREDENTIALS })),
  );
const fake = async (): Promise<FakeTranscribe> => opened(await startFakeTranscribe());
const answering = async (route: Parameters<typeof startFakeHttpServer>[0][string]): Promise<FakeHttpServer> =>
  opened(await startFakeHttpServer({ 'POST /': route }));

const request = {
  jobName: 'bandup-dev-j-1',
  mediaUri: 's3://bucket/uploads/speaking/u-1/a.wav',
  mediaFormat: 'wav' as const,
  languageCode: 'en-GB' as const,
  outputBucket: 'bucket',
  outputKey: 'transcripts/dev/j-1/transcript.json',
};

describe('TranscriptionJobs', () => {
  it('starts a job with a JSON 1.1 request signed the way Transcribe verifies it', async () => {
    const transcribe = await fake();
    await expect(jobsAt(transcribe.url).start(request)).resolves.toBe('started');
    const [sent] = transcribe.callsTo('StartTranscriptionJob');
    expect(sent!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(sent!.json()).toEqual({
      TranscriptionJobName: 'bandup-dev-j-1',
      Media: { MediaFileUri: request.mediaUri },
      MediaFormat: 'wav',
      LanguageCode: 'en-GB',
      OutputBucketName: 'bucket',
      OutputKey: request.outputKey,
      Settings: { ShowAlternatives: false, ShowSpeakerLabels: false },
    });
    const resigned = await resignedAuthorization(sent!, {
      serverUrl: transcribe.url,
      service: 'transcribe',
      region: REGION,
      credentials: CREDENTIALS,
      path: '/',
    });
    expect(resigned).toBe(sent!.headers.authorization);
  });

  it('takes a job of the same name (an earlier delivery started it) as "exists", not an error', async () => {
    const transcribe = await fake();
    const jobs = jobsAt(transcribe.url);
    await jobs.start(request);
    await expect(jobs.start(request)).resolves.toBe('exists');
  });

  it('reads a job state: status, failure reason and transcript location', async () => {
    const transcribe = await fake();
    const jobs = jobsAt(transcribe.url);
    await jobs.start(request);
    await expect(jobs.get(request.jobName)).resolves.toEqual({ status: 'IN_PROGRESS' });
    transcribe.complete(request.jobName);
    await expect(jobs.get(request.jobName)).resolves.toEqual({
      status: 'COMPLETED',
      transcriptFileUri: `https://s3.${REGION}.amazonaws.com/bucket/${request.outputKey}`,
    });
    transcribe.fail(request.jobName, 'The media format could not be determined');
    await expect(jobs.get(request.jobName)).resolves.toMatchObject({
      status: 'FAILED',
      failureReason: 'The media format could not be determined',
    });
  });

  it('throws any other refusal with its name, and an answer without a status as malformed', async () => {
    const refusing = await answering(() => ({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: { __type: 'com.amazonaws.transcribe#BadRequestException', Message: 'Invalid OutputKey' },
    }));
    await expect(jobsAt(refusing.url).start(request)).rejects.toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid OutputKey',
    });
    const empty = await answering(() => ({ body: { TranscriptionJob: {} } }));
    await expect(jobsAt(empty.url).get('bandup-dev-j-2')).rejects.toThrow(
      'GetTranscriptionJob returned no status for "bandup-dev-j-2"',
    );
  });
});
