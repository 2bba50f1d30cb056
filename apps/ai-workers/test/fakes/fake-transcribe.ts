import {
  type FakeHttpServer,
  type FakeResponse,
  type RecordedRequest,
  startFakeHttpServer,
} from './fake-http-server.js';

/** A transcription job as the fake holds it (the request fields the workers send, plus state). */
interface FakeTranscriptionJob {
  TranscriptionJobName: string;
  TranscriptionJobStatus: 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  LanguageCode?: string;
  MediaFormat?: string;
  Media?: { MediaFileUri?: string };
  OutputBucketName?: string;
  OutputKey?: string;
  OutputEncryptionKMSKeyId?: string;
  Settings?: Record<string, unknown>;
  FailureReason?: string;
  Transcript?: { TranscriptFileUri?: string };
}

export interface FakeTranscribe extends FakeHttpServer {
  readonly jobs: Map<string, FakeTranscriptionJob>;
  /** Calls by operation name (`StartTranscriptionJob`, `GetTranscriptionJob`). */
  callsTo(operation: string): RecordedRequest[];
  /** Marks a job COMPLETED with its transcript at `https://s3.<region>.amazonaws.com/<bucket>/<key>`. */
  complete(jobName: string, region?: string): void;
  fail(jobName: string, reason: string): void;
}

const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };

function error(status: number, type: string, message: string): FakeResponse {
  return {
    status,
    headers: { ...JSON_11, 'x-amzn-errortype': type },
    body: { __type: type, Message: message },
  };
}

/**
 * A fake Amazon Transcribe (JSON 1.1 protocol: `POST /` with `x-amz-target: Transcribe.<Operation>`).
 * Point `createTranscribeClient({ endpoint: fake.url })` at it.
 */
export async function startFakeTranscribe(): Promise<FakeTranscribe> {
  const jobs = new Map<string, FakeTranscriptionJob>();

  const server = await startFakeHttpServer({
    'POST /': (request) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = request.json<Record<string, unknown>>();
      switch (target) {
        case 'Transcribe.StartTranscriptionJob': {
          const name = String(body.TranscriptionJobName);
          if (jobs.has(name)) {
            return error(
              400,
              'ConflictException',
              'The requested job name already exists. Use a different job name.',
            );
          }
          const job: FakeTranscriptionJob = {
            ...(body as Partial<FakeTranscriptionJob>),
            TranscriptionJobName: name,
            TranscriptionJobStatus: 'IN_PROGRESS',
          };
          jobs.set(name, job);
          return {
            headers: JSON_11,
            body: { TranscriptionJob: { ...job, CreationTime: Date.now() / 1000 } },
          };
        }
        case 'Transcribe.GetTranscriptionJob': {
          const job = jobs.get(String(body.TranscriptionJobName));
          if (!job) {
            return error(
              400,
              'BadRequestException',
              "The requested job couldn't be found. Check the job name and try your request again.",
            );
          }
          return { headers: JSON_11, body: { TranscriptionJob: job } };
        }
        default:
          return error(400, 'UnknownOperationException', `fake Transcribe does not implement "${target}"`);
      }
    },
  });

  const getJob = (jobName: string) => {
    const job = jobs.get(jobName);
    if (!job) throw new Error(`fake Transcribe has no job "${jobName}"`);
    return job;
  };

  return {
    ...server,
    jobs,
    callsTo: (operation) =>
      server.requests.filter((request) => request.headers['x-amz-target'] === `Transcribe.${operation}`),
    complete(jobName, region = 'ap-southeast-1') {
      const job = getJob(jobName);
      job.TranscriptionJobStatus = 'COMPLETED';
      job.Transcript = {
        TranscriptFileUri: `https://s3.${region}.amazonaws.com/${job.OutputBucketName}/${job.OutputKey}`,
      };
    },
    fail(jobName, reason) {
      const job = getJob(jobName);
      job.TranscriptionJobStatus = 'FAILED';
      job.FailureReason = reason;
    },
  };
}
