import {
  feedbackLanguageOf,
  taskBand,
  WRITING_CRITERIA,
  WRITING_MINIMUM_WORDS,
  type WritingAssessmentRequest,
  type WritingResult,
} from '@bandup/shared';
import type { ChatModel } from '../clients/chat-model.js';
import { PermanentJobError } from '../runtime/errors.js';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { toModelUsageRecord } from '../runtime/model-usage-record.js';
import { keepVerbatimQuotes } from './quote-filter.js';
import { generateStructured, repairReminderFor } from './structured-output.js';
import { countEssayWords } from './word-count.js';
import { type WritingAnswer, writingAnswerSchema } from './writing-answer.js';
import {
  buildWritingPrompt,
  WRITING_MAX_TOKENS,
  WRITING_SYSTEM_PROMPT,
  WRITING_TEMPERATURE,
} from './writing-prompt.js';

export interface WritingAssessment {
  readonly result: WritingResult;
  /** For the job record (token usage, model id, latency, calls). */
  readonly model: ModelMetadata;
  /** True when the first answer was invalid and the repair round fixed it. */
  readonly repaired: boolean;
}

/**
 * Assesses one Writing task: examiner prompt -> validated JSON (one repair round) -> task band by the
 * shared maths -> quoted examples checked against the essay. Throws
 * `PermanentJobError('MODEL_OUTPUT_INVALID')` when the model cannot produce a valid answer; Bedrock
 * errors propagate for the runner to classify.
 */
export async function assessWriting(
  request: WritingAssessmentRequest,
  model: ChatModel,
): Promise<WritingAssessment> {
  const wordCount = countEssayWords(request.essay);
  const minimumWords = WRITING_MINIMUM_WORDS[request.taskType];
  if (wordCount === 0) {
    // Punctuation or symbols only: nothing a model could score, so no call and no invented band.
    throw new PermanentJobError('INSUFFICIENT_CONTENT', 'The essay contains no words to assess', {
      wordCount,
    });
  }

  const language = feedbackLanguageOf(request);
  const output = await generateStructured<WritingAnswer>({
    model,
    schema: writingAnswerSchema(language),
    system: WRITING_SYSTEM_PROMPT,
    prompt: buildWritingPrompt(request, { wordCount, minimumWords }),
    maxTokens: WRITING_MAX_TOKENS,
    temperature: WRITING_TEMPERATURE,
    purpose: 'Writing assessment',
    repairReminder: repairReminderFor(language),
  });
  const { criteria, strengths, improvements, examples } = output.value;
  const { kept, dropped } = keepVerbatimQuotes(examples, request.essay);

  const result: WritingResult = {
    taskType: request.taskType,
    criteria: {
      taskAchievement: criteria.taskAchievement,
      coherenceCohesion: criteria.coherenceCohesion,
      lexicalResource: criteria.lexicalResource,
      grammaticalRangeAccuracy: criteria.grammaticalRangeAccuracy,
    },
    // The task band is the shared maths' result of the validated criterion bands; never the model's.
    taskBand: taskBand(WRITING_CRITERIA.map((criterion) => criteria[criterion].band)),
    strengths,
    improvements,
    examples: kept,
    droppedExamples: dropped.length,
    wordCount,
    underLength: wordCount < minimumWords,
    minimumWords,
    model: toModelUsageRecord(output.model),
    language,
  };
  return { result, model: output.model, repaired: output.repaired };
}
