import {
  type EnvironmentName,
  extensionForContentType,
  feedbackLanguageOf,
  parseUploadKey,
  transcriptionJobName,
  UPLOAD_LIMITS,
} from '@bandup/shared';
import { measureAudioDuration } from '../assess/audio-duration.js';
import { SPEAKING_LANGUAGE_CODE, SPEAKING_MAX_SECONDS_BY_PART } from '../assess/speaking-limits.js';
import type { S3Objects } from '../clients/s3-objects.js';
import type { MediaFormat, TranscriptionJobs } from '../clients/transcribe.js';
import { JOB_DEADLINES } from '../jobs/job-deadlines.js';
import { PermanentJobError } from '../runtime/errors.js';
import type { JobWorker } from '../runtime/job-worker.js';
import { headUpload, readCheckedUpload } from './checked-upload.js';
import { type SpeakingJobContext, speakingContextKey, transcriptKey } from './speaking-job-files.js';

export interface SpeakingWorkerDeps {
  readonly s3: S3Objects;
  readonly transcription: TranscriptionJobs;
  readonly environment: EnvironmentName;
  /** The AI data bucket: uploads are read from it, transcripts written to it. */
  readonly dataBucket: string;
  /** KMS key for Transcribe's output object; the bucket's default encryption applies otherwise. */
  readonly transcribeOutputKmsKeyId?: string;
}

/**
 * The `speaking` job: checks the uploaded recording (exists, allowed type matching its key, size,
 * duration for the part), records the job context, starts the Amazon Transcribe job and leaves the
 * job RUNNING (`waiting`). Every check runs before Transcribe is called, so a rejected recording
 * costs nothing. `speaking-finalize` finishes the job when Transcribe reports back.
 */
export function createSpeakingWorker(deps: SpeakingWorkerDeps): JobWorker<'speaking'> {
  return async (message, context) => {
    const { audioKey, part, questions } = message.payload;
    const limits = UPLOAD_LIMITS.speaking;

    const head = await headUpload(deps.s3, deps.dataBucket, {
      key: audioKey,
      noun: 'recording',
      field: 'audioKey',
    });
    const contentType = head.mediaType;
    const extension = extensionForContentType('speaking', contentType);
    if (!extension) {
      throw new PermanentJobError(
        'UNSUPPORTED_MEDIA',
        `The recording's content type "${contentType || '(none)'}" is not allowed; use one of ${Object.keys(limits.contentTypes).join(', ')}`,
        { audioKey, contentType },
      );
    }
    const keyExtension = parseUploadKey('speaking', audioKey)?.extension;
    if (keyExtension !== extension) {
      throw new PermanentJobError(
        'UNSUPPORTED_MEDIA',
        `The recording is stored as "${contentType}" but its key ends in ".${keyExtension}"; expected ".${extension}"`,
        { audioKey, contentType },
      );
    }
    const bytes = head.contentLength;
    if (bytes > limits.maxBytes) {
      throw new PermanentJobError(
        'FILE_TOO_LARGE',
        `The recording is ${bytes} bytes; the limit is ${limits.maxBytes} bytes`,
        { audioKey, bytes, maxBytes: limits.maxBytes },
      );
    }
    if (bytes === 0) {
      throw new PermanentJobError('UNSUPPORTED_MEDIA', 'The recording is empty (0 bytes)', { audioKey });
    }

    // The whole object (at most maxBytes) is read once: container headers alone cannot give the
    // duration of every format (an MP3 without a VBR header needs its frames counted).
    const audio = await readCheckedUpload(deps.s3, deps.dataBucket, audioKey, head);
    const audioSeconds = measureAudioDuration(audio, contentType);
    const maxSeconds = SPEAKING_MAX_SECONDS_BY_PART[part];
    if (audioSeconds !== undefined && audioSeconds > maxSeconds) {
      throw new PermanentJobError(
        'AUDIO_TOO_LONG',
        `The recording lasts ${Math.round(audioSeconds)} s; Speaking Part ${part} recordings may last at most ${maxSeconds} s`,
        { audioKey, audioSeconds, maxSeconds },
      );
    }

    const jobContext: SpeakingJobContext = {
      jobId: message.jobId,
      userId: message.userId,
      part,
      questions,
      audioKey,
      contentType,
      audioBytes: bytes,
      audioSeconds: audioSeconds ?? null,
      maxSeconds,
      language: feedbackLanguageOf(message.payload),
    };
    await deps.s3.put(
      deps.dataBucket,
      speakingContextKey(deps.environment, message.jobId),
      JSON.stringify(jobContext),
      'application/json',
    );

    const jobName = transcriptionJobName(deps.environment, message.jobId);
    const started = await deps.transcription.start({
      jobName,
      mediaUri: `s3://${deps.dataBucket}/${audioKey}`,
      mediaFormat: extension as MediaFormat,
      languageCode: SPEAKING_LANGUAGE_CODE,
      outputBucket: deps.dataBucket,
      outputKey: transcriptKey(deps.environment, message.jobId),
      ...(deps.transcribeOutputKmsKeyId ? { outputKmsKeyId: deps.transcribeOutputKmsKeyId } : {}),
    });
    context.logger.info('Transcription job started', {
      transcriptionJobName: jobName,
      alreadyStarted: started === 'exists',
      audioSeconds: audioSeconds ?? null,
      part,
    });
    return {
      type: 'waiting',
      reason: `Waiting for Amazon Transcribe job ${jobName}`,
      waitMs: JOB_DEADLINES.transcribeMs,
    };
  };
}
