import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsHttpClient, createAwsClient, TRANSCRIBE } from './aws-http-client.js';

/** The media formats and languages the Speaking workers send (a subset of Transcribe's). */
export type MediaFormat = 'mp3' | 'mp4' | 'wav' | 'flac' | 'ogg' | 'amr' | 'webm' | 'm4a';
type LanguageCode = `${string}-${string}`;

/** Amazon Transcribe (batch jobs, JSON 1.1) over the light AWS client: no SDK code at cold start. */
export function createTranscribeClient(options: AwsClientOptions = {}): AwsHttpClient {
  return createAwsClient(TRANSCRIBE, options);
}

export interface StartTranscriptionRequest {
  readonly jobName: string;
  /** `s3://<bucket>/<key>` of the recording. */
  readonly mediaUri: string;
  readonly mediaFormat: MediaFormat;
  readonly languageCode: LanguageCode;
  readonly outputBucket: string;
  /** A full object key ending in `.json`: Transcribe writes the transcript exactly there. */
  readonly outputKey: string;
  /** KMS key for the transcript object; otherwise the bucket's default encryption applies. */
  readonly outputKmsKeyId?: string;
}

export interface TranscriptionJobState {
  readonly status: 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly failureReason?: string;
  readonly transcriptFileUri?: string;
}

/** The fields of `GetTranscriptionJob`'s answer read here. */
interface TranscriptionJobAnswer {
  readonly TranscriptionJobStatus?: TranscriptionJobState['status'];
  readonly FailureReason?: string;
  readonly Transcript?: { readonly TranscriptFileUri?: string };
}

/** The two Transcribe calls the Speaking workers make. */
export class TranscriptionJobs {
  constructor(private readonly client: AwsHttpClient) {}

  /**
   * Starts a batch transcription job. A job of the same name already existing means an earlier
   * delivery of the same message started it (job names are tied to job ids), so that is `'exists'`,
   * not an error: the completion event will still arrive once.
   */
  async start(request: StartTranscriptionRequest): Promise<'started' | 'exists'> {
    try {
      await this.client.send('StartTranscriptionJob', {
        TranscriptionJobName: request.jobName,
        Media: { MediaFileUri: request.mediaUri },
        MediaFormat: request.mediaFormat,
        LanguageCode: request.languageCode,
        OutputBucketName: request.outputBucket,
        OutputKey: request.outputKey,
        ...(request.outputKmsKeyId ? { OutputEncryptionKMSKeyId: request.outputKmsKeyId } : {}),
        // One speaker, best alternative only: the fluency features need word timings and confidences.
        Settings: { ShowAlternatives: false, ShowSpeakerLabels: false },
      });
      return 'started';
    } catch (error) {
      if (error instanceof Error && error.name === 'ConflictException') return 'exists';
      throw error;
    }
  }

  async get(jobName: string): Promise<TranscriptionJobState> {
    const { TranscriptionJob: job } = await this.client.send<{ TranscriptionJob?: TranscriptionJobAnswer }>(
      'GetTranscriptionJob',
      { TranscriptionJobName: jobName },
    );
    if (!job?.TranscriptionJobStatus) {
      throw new Error(`GetTranscriptionJob returned no status for "${jobName}"`);
    }
    return {
      status: job.TranscriptionJobStatus,
      ...(job.FailureReason ? { failureReason: job.FailureReason } : {}),
      ...(job.Transcript?.TranscriptFileUri ? { transcriptFileUri: job.Transcript.TranscriptFileUri } : {}),
    };
  }
}
