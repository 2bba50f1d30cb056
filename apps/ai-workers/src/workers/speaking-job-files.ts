import {
  type EnvironmentName,
  FeedbackLanguageSchema,
  JobIdSchema,
  S3_PREFIXES,
  SPEAKING_PARTS,
  UserIdSchema,
} from '@bandup/shared';
import * as z from '@bandup/shared/zod';

/*
 * What a Speaking job keeps in the data bucket between its two functions, under
 * `transcripts/<env>/<jobId>/` (the only prefix both may touch): the speaking worker writes the job
 * context before it starts Transcribe, Transcribe writes the transcript, speaking-finalize reads both.
 */

function speakingJobPrefix(env: EnvironmentName, jobId: string): string {
  return `${S3_PREFIXES.transcripts}${env}/${jobId}/`;
}

/** Where Transcribe writes the transcript (an exact key ending in `.json`, so Transcribe uses it as is). */
export function transcriptKey(env: EnvironmentName, jobId: string): string {
  return `${speakingJobPrefix(env, jobId)}transcript.json`;
}

export function speakingContextKey(env: EnvironmentName, jobId: string): string {
  return `${speakingJobPrefix(env, jobId)}context.json`;
}

/** The job context speaking-finalize needs and the job item does not hold (the item stores no request). */
export const SpeakingJobContextSchema = z.strictObject({
  jobId: JobIdSchema,
  userId: UserIdSchema,
  part: z.literal(SPEAKING_PARTS),
  questions: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  audioKey: z.string().check(z.minLength(1)),
  contentType: z.string().check(z.minLength(1)),
  audioBytes: z.int().check(z.nonnegative()),
  /** Duration read from the container, or null when the container does not record one. */
  audioSeconds: z.nullable(z.number().check(z.positive())),
  /** The part's duration limit, re-checked on the transcript's word timings. */
  maxSeconds: z.number().check(z.positive()),
  /** Language of the feedback (absent in contexts written before it existed: English). */
  language: z.optional(FeedbackLanguageSchema),
});
export type SpeakingJobContext = z.infer<typeof SpeakingJobContextSchema>;
