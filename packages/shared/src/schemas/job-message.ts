import type { JobKind } from '../names.js';
import { FlashcardSetRequestSchema } from './flashcard-request.js';
import { IsoDateTimeSchema, JobIdSchema, UserIdSchema } from './ids.js';
import { SpeakingAssessmentRequestSchema } from './speaking-request.js';
import { WritingAssessmentRequestSchema } from './writing-request.js';
import * as z from './zod.js';

const envelope = {
  jobId: JobIdSchema,
  userId: UserIdSchema,
  /** IAM ARN of the API caller, from API Gateway's request context. */
  principal: z.string().check(z.minLength(1), z.maxLength(2048)),
  submittedAt: IsoDateTimeSchema,
};

export const WritingJobMessageSchema = z.strictObject({
  ...envelope,
  kind: z.literal('writing'),
  payload: WritingAssessmentRequestSchema,
});
export const SpeakingJobMessageSchema = z.strictObject({
  ...envelope,
  kind: z.literal('speaking'),
  payload: SpeakingAssessmentRequestSchema,
});
export const FlashcardsJobMessageSchema = z.strictObject({
  ...envelope,
  kind: z.literal('flashcards'),
  payload: FlashcardSetRequestSchema,
});

/** The body of a message on a kind's SQS queue, sent by the submit function. */
export const JobMessageSchema = z.discriminatedUnion('kind', [
  WritingJobMessageSchema,
  SpeakingJobMessageSchema,
  FlashcardsJobMessageSchema,
]);
export type JobMessage = z.infer<typeof JobMessageSchema>;
export type JobMessageOf<K extends JobKind> = Extract<JobMessage, { kind: K }>;

/** The request schema of each job kind (what `payload` holds). */
export const JOB_PAYLOAD_SCHEMAS = {
  writing: WritingAssessmentRequestSchema,
  speaking: SpeakingAssessmentRequestSchema,
  flashcards: FlashcardSetRequestSchema,
} as const satisfies Record<JobKind, z.ZodMiniType>;
export type JobPayloadOf<K extends JobKind> = JobMessageOf<K>['payload'];
