import { ENVIRONMENTS, type EnvironmentName, PROJECT } from '../names.js';
import { JobIdSchema } from './ids.js';
import * as z from './zod.js';

/** Transcribe job names allow `[0-9a-zA-Z._-]`, at most 200 characters. */
export const TRANSCRIPTION_JOB_NAME_MAX = 200;
const TRANSCRIPTION_JOB_NAME_CHARS = /^[0-9a-zA-Z._-]+$/;

/**
 * The EventBridge event Amazon Transcribe emits when a job finishes ("Transcribe Job State Change"),
 * delivered to the speaking-finalize queue. Loose objects: AWS may add fields.
 */
export const TranscribeStateChangeEventSchema = z.object({
  version: z.optional(z.string()),
  id: z.optional(z.string()),
  'detail-type': z.literal('Transcribe Job State Change'),
  source: z.literal('aws.transcribe'),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
  detail: z.object({
    TranscriptionJobName: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(TRANSCRIPTION_JOB_NAME_MAX),
        z.regex(TRANSCRIPTION_JOB_NAME_CHARS, { message: 'Not a Transcribe job name' }),
      ),
    TranscriptionJobStatus: z.enum(['COMPLETED', 'FAILED']),
    FailureReason: z.optional(z.string()),
  }),
});
export type TranscribeStateChangeEvent = z.infer<typeof TranscribeStateChangeEventSchema>;

/** `bandup-<env>-`: every Transcribe job of an environment starts with it (EventBridge rules match on it). */
export function transcriptionJobNamePrefix(env: EnvironmentName): string {
  return `${PROJECT}-${env}-`;
}

/** The Transcribe job name of a Speaking job: `bandup-<env>-<jobId>`. */
export function transcriptionJobName(env: EnvironmentName, jobId: string): string {
  const parsedId = JobIdSchema.safeParse(jobId);
  if (!parsedId.success) throw new Error(`transcriptionJobName: jobId "${jobId}" is not a UUID`);
  return `${transcriptionJobNamePrefix(env)}${jobId}`;
}

/** Inverse of `transcriptionJobName`. Throws when the name is not one of ours. */
export function parseTranscriptionJobName(name: string): { env: EnvironmentName; jobId: string } {
  for (const env of ENVIRONMENTS) {
    const prefix = transcriptionJobNamePrefix(env);
    if (name.startsWith(prefix)) {
      const jobId = name.slice(prefix.length);
      if (JobIdSchema.safeParse(jobId).success) return { env, jobId };
    }
  }
  throw new Error(`Transcription job name "${name}" is not of the form ${PROJECT}-<env>-<jobId>`);
}
