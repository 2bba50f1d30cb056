import { BandSchema } from './band.js';
import { IsoDateTimeSchema, JobIdSchema, UserIdSchema } from './ids.js';
import { JobErrorCodeSchema } from './job-error.js';
import { JobKindSchema } from './job-record.js';
import { SPEAKING_PARTS } from './speaking-parts.js';
import { WRITING_TASK_TYPES } from './writing-task-types.js';
import * as z from './zod.js';

/**
 * The completion event the AI service publishes once per terminal transition of a job (see
 * docs/ai-stack.md, "Completion events"). The backend consumes it from its own SQS FIFO queue and
 * then reads the full result with `GET /v1/jobs/{jobId}`: the event carries only what is needed to
 * notify the learner (bands, card count, error code), never the essay, transcript or cards.
 */

/** Version of the event's shape; a breaking change gets a new version, additions do not. */
export const JOB_EVENT_SCHEMA_VERSION = 1 as const;

export const JOB_EVENT_TYPES = { SUCCEEDED: 'job.succeeded', FAILED: 'job.failed' } as const;
export type TerminalJobStatus = keyof typeof JOB_EVENT_TYPES;

/**
 * The event's id: the same for every delivery of one terminal transition, so it serves as the SNS
 * FIFO / SQS FIFO `MessageDeduplicationId` and as the backend's idempotency key.
 */
export function jobEventId(jobId: string, status: TerminalJobStatus): string {
  return `${jobId}:${status}`;
}

const WritingSummarySchema = z.strictObject({
  kind: z.literal('writing'),
  taskType: z.enum(WRITING_TASK_TYPES),
  /** The task band, from the shared band maths. */
  band: BandSchema,
  criteria: z.strictObject({
    taskAchievement: BandSchema,
    coherenceCohesion: BandSchema,
    lexicalResource: BandSchema,
    grammaticalRangeAccuracy: BandSchema,
  }),
  wordCount: z.int().check(z.gte(0)),
  underLength: z.boolean(),
});

const SpeakingSummarySchema = z.strictObject({
  kind: z.literal('speaking'),
  part: z.literal(SPEAKING_PARTS),
  band: BandSchema,
  criteria: z.strictObject({
    fluencyCoherence: BandSchema,
    lexicalResource: BandSchema,
    grammaticalRangeAccuracy: BandSchema,
    pronunciation: BandSchema,
  }),
});

const FlashcardsSummarySchema = z.strictObject({
  kind: z.literal('flashcards'),
  cardCount: z.int().check(z.gte(0)),
  requestedCount: z.int().check(z.gte(1)),
});

/** What a SUCCEEDED job produced, in a few fields: bands for assessments, the card count for flashcards. */
export const JobResultSummarySchema = z.discriminatedUnion('kind', [
  WritingSummarySchema,
  SpeakingSummarySchema,
  FlashcardsSummarySchema,
]);
export type JobResultSummary = z.infer<typeof JobResultSummarySchema>;

const eventFields = {
  schemaVersion: z.literal(JOB_EVENT_SCHEMA_VERSION),
  /** `<jobId>:<status>`: identical on every delivery of this event (deduplicate on it). */
  eventId: z.string().check(z.minLength(1)),
  jobId: JobIdSchema,
  userId: UserIdSchema,
  kind: JobKindSchema,
  /** When the job reached its terminal state (the job's `finishedAt`). */
  occurredAt: IsoDateTimeSchema,
  /** Worker attempts the job took. */
  attempts: z.int().check(z.gte(0)),
};

export const JobSucceededEventSchema = z.strictObject({
  ...eventFields,
  type: z.literal(JOB_EVENT_TYPES.SUCCEEDED),
  status: z.literal('SUCCEEDED'),
  summary: JobResultSummarySchema,
});

export const JobFailedEventSchema = z.strictObject({
  ...eventFields,
  type: z.literal(JOB_EVENT_TYPES.FAILED),
  status: z.literal('FAILED'),
  error: z.strictObject({
    code: JobErrorCodeSchema,
    /** The job's error message, as the status API shows it (diagnostic details are left out). */
    message: z.string().check(z.minLength(1), z.maxLength(2000)),
  }),
});

/** A job completion event: the body of every message on the backend's event queue. */
export const JobEventSchema = z
  .discriminatedUnion('type', [JobSucceededEventSchema, JobFailedEventSchema])
  .check(
    z.superRefine((event, ctx) => {
      if (event.eventId !== jobEventId(event.jobId, event.status)) {
        ctx.addIssue({
          code: 'custom',
          path: ['eventId'],
          message: `Must be "${jobEventId(event.jobId, event.status)}"`,
        });
      }
      if (event.type === JOB_EVENT_TYPES.SUCCEEDED && event.summary.kind !== event.kind) {
        ctx.addIssue({ code: 'custom', path: ['summary', 'kind'], message: `Must be "${event.kind}"` });
      }
    }),
  );
export type JobEvent = z.infer<typeof JobEventSchema>;

/**
 * The event schema as JSON Schema (draft 2020-12), for the integration docs and for consumers in
 * other languages (the backend is Java). Cross-field rules (the event id, the summary's kind) are
 * described in the schema's descriptions, since JSON Schema cannot express them.
 */
export function buildJobEventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(JobEventSchema, { target: 'draft-2020-12', io: 'output' });
  return {
    ...schema,
    $id: 'https://bandup.example.com/schemas/job-event.v1.json',
    title: 'Bandup AI job completion event',
    description:
      'Published once per terminal transition of an AI job (SUCCEEDED or FAILED) to the backend SQS FIFO queue. ' +
      'eventId is "<jobId>:<status>" and identical on every delivery; summary.kind equals kind.',
  };
}
