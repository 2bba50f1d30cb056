import { ApiErrorSchema, FieldErrorSchema, SubmitResponseSchema } from '../schemas/api-responses.js';
import { FlashcardSetRequestSchema } from '../schemas/flashcard-request.js';
import { FlashcardSetResultSchema } from '../schemas/flashcard-result.js';
import { PublicJobErrorSchema } from '../schemas/job-error.js';
import { JobHistoryResponseSchema, JobSummarySchema } from '../schemas/job-history.js';
import { JobStatusResponseSchema } from '../schemas/job-record.js';
import { ModelUsageSchema } from '../schemas/model-usage.js';
import { SpeakingAssessmentRequestSchema } from '../schemas/speaking-request.js';
import { SpeakingResultSchema } from '../schemas/speaking-result.js';
import { SpeakingTestBandResponseSchema, WritingTestBandResponseSchema } from '../schemas/test-bands.js';
import { UploadRequestSchema, UploadResponseSchema } from '../schemas/upload-request.js';
import { WritingAssessmentRequestSchema } from '../schemas/writing-request.js';
import { WritingResultSchema } from '../schemas/writing-result.js';
import type * as z from '../schemas/zod.js';

/**
 * The zod schemas published as `components.schemas`, by component name. Names are alphanumeric
 * because API Gateway turns each into a model and model names allow nothing else.
 */
export const OPENAPI_COMPONENTS = {
  WritingAssessmentRequest: WritingAssessmentRequestSchema,
  SpeakingAssessmentRequest: SpeakingAssessmentRequestSchema,
  FlashcardSetRequest: FlashcardSetRequestSchema,
  UploadRequest: UploadRequestSchema,
  UploadResponse: UploadResponseSchema,
  SubmitResponse: SubmitResponseSchema,
  FieldError: FieldErrorSchema,
  ApiError: ApiErrorSchema,
  JobError: PublicJobErrorSchema,
  ModelUsage: ModelUsageSchema,
  WritingResult: WritingResultSchema,
  SpeakingResult: SpeakingResultSchema,
  FlashcardSetResult: FlashcardSetResultSchema,
  JobStatusResponse: JobStatusResponseSchema,
  JobSummary: JobSummarySchema,
  JobHistoryResponse: JobHistoryResponseSchema,
  WritingTestBandResponse: WritingTestBandResponseSchema,
  SpeakingTestBandResponse: SpeakingTestBandResponseSchema,
} as const satisfies Record<string, z.ZodMiniType>;
export type OpenApiComponentName = keyof typeof OPENAPI_COMPONENTS;
