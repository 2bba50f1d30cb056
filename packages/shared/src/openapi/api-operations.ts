import type { FunctionName } from '../catalogue/worker-catalogue.js';

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
}

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
];

/** Name of the idempotency header on submission routes. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
