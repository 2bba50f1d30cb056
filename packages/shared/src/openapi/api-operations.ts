import type { FunctionName } from '../catalogue/worker-catalogue.js';
import { JobIdSchema, UserIdSchema } from '../schemas/ids.js';
import { HistoryCursorSchema, HistoryLimitSchema } from '../schemas/job-history.js';
import { JobKindSchema } from '../schemas/job-record.js';
import type * as z from '../schemas/zod.js';

/** A query parameter of a route; API Gateway's request validator checks that required ones are present. */
export interface ApiQueryParameter {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly schema: z.ZodMiniType;
}

/** One route of the AI API and the catalogue function API Gateway hands it to. */
export interface ApiOperation {
  readonly operationId: string;
  readonly method: 'GET' | 'POST';
  /** OpenAPI path, e.g. `/v1/jobs/{jobId}` (must match the function's catalogue routes). */
  readonly path: string;
  readonly functionName: FunctionName;
  readonly summary: string;
  /** Component schema of the JSON request body (POST routes). */
  readonly requestSchema?: string;
  /** Success status and its component schema. */
  readonly successStatus: 200 | 202;
  readonly responseSchema: string;
  /** Submissions honour an `Idempotency-Key` header. */
  readonly idempotent: boolean;
  /** Query parameters besides the `userId` of `/v1/jobs/{jobId}` (which the document adds itself). */
  readonly queryParameters?: readonly ApiQueryParameter[];
  /** Error answers specific to the route, by status (the common 400/403/429/500 are always listed). */
  readonly errorResponses?: Readonly<Record<string, string>>;
}

/**
 * Which routes carry the usage-plan API key. Submissions and uploads (POST) do: they start paid
 * model work, so they count against the daily quota and the usage plan's throttle. Reads (GET:
 * status, history, test bands) do not: polling must never consume the submission quota, and a
 * submission burst must never throttle the reads that tell the backend a job finished. Reads are
 * throttled per method on the stage instead.
 */
export function usesApiKey(op: Pick<ApiOperation, 'method'>): boolean {
  return op.method === 'POST';
}

const learner = (description: string): ApiQueryParameter => ({
  name: 'userId',
  required: true,
  description,
  schema: UserIdSchema,
});
const partJob = (name: string, what: string): ApiQueryParameter => ({
  name,
  required: true,
  description: `Job id of the ${what} (a SUCCEEDED job of the same learner)`,
  schema: JobIdSchema,
});
const TEST_BAND_ERRORS = {
  '409': 'A named job has not finished yet (code PART_NOT_FINISHED); ask again once it has',
  '422':
    'A named job does not exist or has expired (PART_MISSING), belongs to another learner ' +
    '(PART_OF_ANOTHER_LEARNER), FAILED (PART_FAILED), or is of the wrong kind, task or part (PART_MISMATCH); ' +
    '`errors` names each such job parameter',
} as const;

/** The API routes, in the order the OpenAPI document lists them. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    operationId: 'submitWritingAssessment',
    method: 'POST',
    path: '/v1/writing/assessments',
    functionName: 'submit',
    summary: 'Submit an IELTS Writing task (Task 1 or 2) for assessment',
    requestSchema: 'WritingAssessmentRequest',
    successStatus: 202,
    responseSchema: 'SubmitResponse',
    idempotent: true,
  },
  {
    operationId: 'submitSpeakingAssessment',
    method: 'POST',
    path: '/v1/speaking/assessments',
    functionName: 'submit',
    summary: 'Submit an uploaded Speaking recording (part 1-3) for assessment',
    requestSchema: 'SpeakingAssessmentRequest',
    successStatus: 202,
    responseSchema: 'SubmitResponse',
    idempotent: true,
  },
  {
    operationId: 'submitFlashcardSet',
    method: 'POST',
    path: '/v1/flashcards/sets',
    functionName: 'submit',
    summary: 'Generate a flashcard set from an uploaded document',
    requestSchema: 'FlashcardSetRequest',
    successStatus: 202,
    responseSchema: 'SubmitResponse',
    idempotent: true,
  },
  {
    operationId: 'createUpload',
    method: 'POST',
    path: '/v1/uploads',
    functionName: 'upload',
    summary: 'Get a presigned POST for an audio recording or a document (type and size enforced by S3)',
    requestSchema: 'UploadRequest',
    successStatus: 200,
    responseSchema: 'UploadResponse',
    idempotent: false,
  },
  {
    operationId: 'getJob',
    method: 'GET',
    path: '/v1/jobs/{jobId}',
    functionName: 'status',
    summary: 'Get a job status and, when it has finished, its result or error',
    successStatus: 200,
    responseSchema: 'JobStatusResponse',
    idempotent: false,
  },
  {
    operationId: 'listJobs',
    method: 'GET',
    path: '/v1/jobs',
    functionName: 'history',
    summary: "List a learner's jobs, newest first, a page at a time, optionally of one kind",
    successStatus: 200,
    responseSchema: 'JobHistoryResponse',
    idempotent: false,
    queryParameters: [
      learner('The learner whose jobs are listed'),
      { name: 'kind', required: false, description: 'Only jobs of this kind', schema: JobKindSchema },
      {
        name: 'limit',
        required: false,
        description: 'Jobs per page, 1-100 (default 20)',
        schema: HistoryLimitSchema,
      },
      {
        name: 'cursor',
        required: false,
        description:
          'The nextCursor of the previous page, unchanged (valid only with the same userId and kind)',
        schema: HistoryCursorSchema,
      },
    ],
  },
  {
    operationId: 'getWritingTestBand',
    method: 'GET',
    path: '/v1/writing/test-band',
    functionName: 'test-band',
    summary: 'The Writing band of a test from its Task 1 and Task 2 jobs (Task 2 counts double)',
    successStatus: 200,
    responseSchema: 'WritingTestBandResponse',
    idempotent: false,
    queryParameters: [
      learner('The learner who wrote both tasks'),
      partJob('task1JobId', 'Task 1 assessment (Academic or General Training)'),
      partJob('task2JobId', 'Task 2 assessment'),
    ],
    errorResponses: TEST_BAND_ERRORS,
  },
  {
    operationId: 'getSpeakingTestBand',
    method: 'GET',
    path: '/v1/speaking/test-band',
    functionName: 'test-band',
    summary: 'The Speaking band of a test, per criterion and overall, from its part 1, 2 and 3 jobs',
    successStatus: 200,
    responseSchema: 'SpeakingTestBandResponse',
    idempotent: false,
    queryParameters: [
      learner('The learner who recorded all three parts'),
      partJob('part1JobId', 'Speaking part 1 assessment'),
      partJob('part2JobId', 'Speaking part 2 assessment'),
      partJob('part3JobId', 'Speaking part 3 assessment'),
    ],
    errorResponses: TEST_BAND_ERRORS,
  },
];
