import {
  GetTranscriptionJobCommand,
  type LanguageCode,
  type MediaFormat,
  StartTranscriptionJobCommand,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

export interface TranscribeClientOptions extends AwsClientOptions {
  /** Static credentials (tests, local runs); otherwise the default chain (the Lambda role). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** Amazon Transcribe client (batch jobs) with the workers' shared settings (adaptive retry). */
export function createTranscribeClient(options: TranscribeClientOptions = {}): TranscribeClient {
  const client = new TranscribeClient({
    ...awsClientConfig(options),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return options.capture ? options.capture(client) : client;
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

/** The two Transcribe calls the Speaking workers make. */
export class TranscriptionJobs {
  constructor(private readonly client: TranscribeClient) {}

  /**
   * Starts a batch transcription job. A job of the same name already existing means an earlier
   * delivery of the same message started it (job names are tied to job ids), so that is `'exists'`,
   * not an error: the completion event will still arrive once.
   */
  async start(request: StartTranscriptionRequest): Promise<'started' | 'exists'> {
    try {
      await this.client.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: request.jobName,
          Media: { MediaFileUri: request.mediaUri },
          MediaFormat: request.mediaFormat,
          LanguageCode: request.languageCode,
          OutputBucketName: request.outputBucket,
          OutputKey: request.outputKey,
          ...(request.outputKmsKeyId ? { OutputEncryptionKMSKeyId: request.outputKmsKeyId } : {}),
          // One speaker, best alternative only: the fluency features need word timings and confidences.
          Settings: { ShowAlternatives: false, ShowSpeakerLabels: false },
        }),
      );
      return 'started';
    } catch (error) {
      // By name rather than `instanceof`: robust to two SDK copies in a bundle or a test.
      if (error instanceof Error && error.name === 'ConflictException') return 'exists';
      throw error;
    }
  }

  async get(jobName: string): Promise<TranscriptionJobState> {
    const { TranscriptionJob: job } = await this.client.send(
      new GetTranscriptionJobCommand({ TranscriptionJobName: jobName }),
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
