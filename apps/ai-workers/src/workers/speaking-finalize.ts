import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type EnvironmentName,
  formatIssues,
  parseTranscriptionJobName,
  type TranscribeStateChangeEvent,
  TranscribeStateChangeEventSchema,
} from '@bandup/shared';
import type { Context, SQSRecord } from 'aws-lambda';
import { assessSpeaking } from '../assess/assess-speaking.js';
import { isFiller } from '../assess/fluency-features.js';
import { parseTranscribeTranscript, type Transcript } from '../assess/transcribe-transcript.js';
import type { ChatModel } from '../clients/chat-model.js';
import { isS3ObjectNotFound } from '../clients/s3-not-found.js';
import type { S3Objects } from '../clients/s3-objects.js';
import type { TranscriptionJobs } from '../clients/transcribe.js';
import type { JobStore, Lease } from '../jobs/job-store.js';
import { beforeDeadline } from '../runtime/deadline.js';
import { classifyError } from '../runtime/error-classification.js';
import { PermanentJobError } from '../runtime/errors.js';
import { jobMetrics } from '../runtime/job-metrics.js';
import { isModelThrottle, opsMetrics } from '../runtime/ops-metrics.js';
import { SpeakingJobContextSchema, speakingContextKey, transcriptKey } from './speaking-job-files.js';

export interface SpeakingFinalizeDeps {
  readonly store: Pick<JobStore, 'get' | 'resume' | 'succeed' | 'fail' | 'noteRetry'>;
  readonly s3: S3Objects;
  readonly transcription: TranscriptionJobs;
  readonly model: ChatModel;
  readonly environment: EnvironmentName;
  readonly dataBucket: string;
  readonly logger: Logger;
}

/** What one state-change event did (for logs, metrics and tests). */
export type FinalizeOutcome =
  | { readonly type: 'succeeded'; readonly jobId: string; readonly band: number }
  | { readonly type: 'failed'; readonly jobId: string; readonly code: string }
  /** Not ours, unknown, or already finished: nothing changed. */
  | { readonly type: 'ignored'; readonly reason: string };

/**
 * Finishes a Speaking job when Amazon Transcribe reports its transcription job finished.
 *
 * - The job name maps back to `(env, jobId)`; events of other environments and jobs that are missing,
 *   not Speaking jobs, or already finished change nothing (redelivered or late events are harmless).
 * - Transcribe's own `GetTranscriptionJob` is the source of truth for the outcome; the event only
 *   triggers the check.
 * - FAILED -> job FAILED `TRANSCRIPTION_FAILED` with Transcribe's reason. COMPLETED -> transcript read,
 *   `TRANSCRIPT_EMPTY` if it has no words, the duration limit re-checked on the speech itself (the
 *   container's duration may be missing or understated), then fluency features, model scoring and
 *   the band by the shared maths -> SUCCEEDED.
 * - Failures are classified like the job runner does (`classifyError`): permanent ones fail the job
 *   here; anything else is thrown so SQS redelivers the event.
 */
export function createSpeakingFinalizer(deps: SpeakingFinalizeDeps) {
  return async function finalize(
    event: TranscribeStateChangeEvent,
    lease: Lease = { owner: `finalize-${randomUUID()}`, durationMs: 15 * 60_000 },
    /** Milliseconds left of the invocation (the model call is abandoned in time to record why). */
    remainingTimeMs: () => number = () => lease.durationMs,
  ): Promise<FinalizeOutcome> {
    const jobName = event.detail.TranscriptionJobName;
    let target: { env: EnvironmentName; jobId: string };
    try {
      target = parseTranscriptionJobName(jobName);
    } catch {
      deps.logger.warn('Ignoring a Transcribe event for a job that is not a Bandup Speaking job', {
        jobName,
      });
      return { type: 'ignored', reason: 'foreign-job-name' };
    }
    if (target.env !== deps.environment) {
      deps.logger.warn('Ignoring a Transcribe event of another environment', { jobName, env: target.env });
      return { type: 'ignored', reason: 'other-environment' };
    }
    const { jobId } = target;
    const job = await deps.store.get(jobId);
    if (job?.kind !== 'speaking') {
      deps.logger.warn('Ignoring a Transcribe event for an unknown job', { jobId, kind: job?.kind });
      return { type: 'ignored', reason: 'unknown-job' };
    }
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED') {
      deps.logger.info('Job already finished; event ignored', { jobId, status: job.status });
      return { type: 'ignored', reason: 'already-finished' };
    }
    // One run per job: concurrent copies of the event (or the sweeper's re-sent one) score it once.
    const claimed = await deps.store.resume(jobId, lease);
    if (claimed.outcome === 'terminal' || claimed.outcome === 'missing') {
      return { type: 'ignored', reason: 'already-finished' };
    }
    if (claimed.outcome !== 'started') {
      // Held by another run, or not handed over yet: the event comes back after its visibility timeout.
      throw new Error(`Speaking job ${jobId} cannot be finalized now (${claimed.outcome})`);
    }
    const { owner } = lease;

    try {
      const state = await deps.transcription.get(jobName);
      if (state.status === 'FAILED') {
        const reason = state.failureReason ?? event.detail.FailureReason ?? 'no reason given';
        throw new PermanentJobError(
          'TRANSCRIPTION_FAILED',
          `Amazon Transcribe could not transcribe the recording: ${reason}`,
          {
            transcriptionJobName: jobName,
            failureReason: reason,
          },
        );
      }
      if (state.status !== 'COMPLETED') {
        // The event ran ahead of the API's view (or was replayed early): retry later.
        throw new Error(`Transcription job ${jobName} is ${state.status}, not finished yet`);
      }

      const contextJson = await readJson(
        deps.s3,
        deps.dataBucket,
        speakingContextKey(deps.environment, jobId),
      );
      const parsedContext = SpeakingJobContextSchema.safeParse(contextJson);
      if (!parsedContext.success) {
        throw new PermanentJobError(
          'INTERNAL_ERROR',
          `The Speaking job context is invalid: ${parsedContext.error.message}`,
        );
      }
      const context = parsedContext.data;
      const transcriptJson = await readJson(deps.s3, deps.dataBucket, transcriptKey(deps.environment, jobId));
      let transcript: Transcript;
      try {
        transcript = parseTranscribeTranscript(transcriptJson);
      } catch (error) {
        throw new PermanentJobError('TRANSCRIPTION_FAILED', (error as Error).message, {
          transcriptionJobName: jobName,
        });
      }
      checkTranscript(transcript, context.audioSeconds, context.maxSeconds, context.part);

      const assessment = await beforeDeadline(
        assessSpeaking(
          {
            part: context.part,
            questions: context.questions,
            transcript,
            ...(context.language ? { language: context.language } : {}),
          },
          deps.model,
        ),
        remainingTimeMs(),
      );
      const { result, model, repaired } = assessment;
      const written = await deps.store.succeed(job, result, model, owner);
      if (!written) return { type: 'ignored', reason: 'already-finished' };
      // Speaking jobs finish here, not in the speaking function: the failure-rate alarm counts them here.
      jobMetrics.succeeded('speaking');
      deps.logger.info('Speaking job succeeded', { jobId, band: result.band, repaired, model });
      return { type: 'succeeded', jobId, band: result.band };
    } catch (error) {
      const classified = classifyError(error);
      if (classified.type !== 'permanent') {
        // Transient or unexpected: noted on the job, then SQS redelivers the event; after the last
        // receive the dead-letter function fails the job (it reads the job id from the job name).
        if (isModelThrottle(error)) opsMetrics.bedrockThrottle();
        const code = classified.type === 'transient' ? classified.code : undefined;
        await deps.store
          .noteRetry(jobId, classified.reason, { owner, ...(code ? { code } : {}) })
          .catch(() => undefined);
        throw error;
      }
      const failure = classified.error;
      const changed = await deps.store.fail(
        jobId,
        {
          code: failure.code,
          message: failure.message,
          ...(failure.details ? { details: { ...failure.details } } : {}),
        },
        { owner },
      );
      if (!changed) return { type: 'ignored', reason: 'already-finished' };
      jobMetrics.failed('speaking');
      deps.logger.warn('Speaking job failed', { jobId, code: failure.code, message: failure.message });
      return { type: 'failed', jobId, code: failure.code };
    }
  };
}

/** Fails the job when the transcript has nothing to assess or shows the recording was too long. */
function checkTranscript(
  transcript: Transcript,
  audioSeconds: number | null,
  maxSeconds: number,
  part: number,
): void {
  if (transcript.words.filter((word) => !isFiller(word.text)).length === 0) {
    throw new PermanentJobError(
      'TRANSCRIPT_EMPTY',
      'No speech was recognised in the recording: check that the microphone worked and the answer is in English',
    );
  }
  // Also when the container gave a duration: a header can understate the length, speech cannot.
  const lastWordEnd = transcript.words[transcript.words.length - 1]!.end;
  if (lastWordEnd > maxSeconds) {
    throw new PermanentJobError(
      'AUDIO_TOO_LONG',
      `Speech continues until ${Math.round(lastWordEnd)} s; Speaking Part ${part} recordings may last at most ${maxSeconds} s`,
      { lastWordEndSeconds: lastWordEnd, maxSeconds, containerSeconds: audioSeconds },
    );
  }
}

/** Reads a JSON object the Speaking job wrote (or had Transcribe write); its absence is a bug, not a blip. */
async function readJson(s3: S3Objects, bucket: string, key: string): Promise<unknown> {
  const text = await s3.getText(bucket, key).catch((error: unknown) => {
    if (isS3ObjectNotFound(error)) {
      throw new PermanentJobError('INTERNAL_ERROR', `s3://${bucket}/${key} does not exist`);
    }
    throw error;
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PermanentJobError(
      'INTERNAL_ERROR',
      `s3://${bucket}/${key} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * One SQS record of the speaking-finalize queue: an EventBridge "Transcribe Job State Change" event.
 * A body that is not such an event cannot be tied to a job here, so it is thrown back: after
 * `maxReceiveCount` receives it reaches the DLQ, where the dead-letter function archives it.
 */
export function speakingFinalizeRecordHandler(finalize: ReturnType<typeof createSpeakingFinalizer>) {
  return async (record: SQSRecord, context?: Context): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new Error(`Message ${record.messageId} is not JSON: ${(error as Error).message}`);
    }
    const event = TranscribeStateChangeEventSchema.safeParse(body);
    if (!event.success) {
      const problems = formatIssues(event.error)
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ');
      throw new Error(`Message ${record.messageId} is not a Transcribe Job State Change event: ${problems}`);
    }
    await finalize(
      event.data,
      context
        ? {
            owner: `${context.awsRequestId}/${record.messageId}`,
            durationMs: context.getRemainingTimeInMillis() + 10_000,
          }
        : undefined,
      context ? () => context.getRemainingTimeInMillis() : undefined,
    );
  };
}
