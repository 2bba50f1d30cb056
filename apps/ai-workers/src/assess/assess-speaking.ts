import {
  type FeedbackLanguage,
  SPEAKING_CRITERIA,
  type SpeakingPart,
  type SpeakingResult,
  taskBand,
} from '@bandup/shared';
import type { ChatModel } from '../clients/chat-model.js';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { toModelUsageRecord } from '../runtime/model-usage-record.js';
import { computeFluencyFeatures, type FluencyFeatures } from './fluency-features.js';
import { type SpeakingAnswer, speakingAnswerSchema } from './speaking-answer.js';
import {
  buildSpeakingPrompt,
  SPEAKING_MAX_TOKENS,
  SPEAKING_SYSTEM_PROMPT,
  SPEAKING_TEMPERATURE,
} from './speaking-prompt.js';
import { generateStructured, repairReminderFor } from './structured-output.js';
import type { Transcript } from './transcribe-transcript.js';

export interface SpeakingAssessment {
  readonly result: SpeakingResult;
  readonly model: ModelMetadata;
  readonly repaired: boolean;
  /** All measured features, including the prompt-only ones the result leaves out. */
  readonly features: FluencyFeatures;
}

/**
 * Assesses one Speaking answer from its transcript: fluency features measured in code, the four
 * criteria scored by the model (validated, one repair round), the band by the shared maths.
 * Pronunciation is always marked as an estimate. The transcript must contain words.
 */
export async function assessSpeaking(
  input: {
    readonly part: SpeakingPart;
    readonly questions: readonly string[];
    readonly transcript: Transcript;
    /** Language of the feedback (default English); the transcript is quoted as it is. */
    readonly language?: FeedbackLanguage;
  },
  model: ChatModel,
): Promise<SpeakingAssessment> {
  const features = computeFluencyFeatures(input.transcript);
  const language = input.language ?? 'en';
  const output = await generateStructured<SpeakingAnswer>({
    model,
    schema: speakingAnswerSchema(language),
    system: SPEAKING_SYSTEM_PROMPT,
    prompt: buildSpeakingPrompt({
      part: input.part,
      questions: input.questions,
      transcript: input.transcript.text,
      features,
      language,
    }),
    maxTokens: SPEAKING_MAX_TOKENS,
    temperature: SPEAKING_TEMPERATURE,
    purpose: 'Speaking assessment',
    repairReminder: repairReminderFor(language),
  });
  const { criteria } = output.value;

  const result: SpeakingResult = {
    part: input.part,
    transcript: input.transcript.text,
    features: {
      durationSeconds: features.durationSeconds,
      wordCount: features.wordCount,
      wordsPerMinute: features.wordsPerMinute,
      pauseCount: features.pauseCount,
      meanPauseSeconds: features.meanPauseSeconds,
      fillerCount: features.fillerCount,
      fillersPer100Words: features.fillersPer100Words,
      meanConfidence: features.meanConfidence,
    },
    criteria: {
      fluencyCoherence: criteria.fluencyCoherence,
      lexicalResource: criteria.lexicalResource,
      grammaticalRangeAccuracy: criteria.grammaticalRangeAccuracy,
      pronunciation: { ...criteria.pronunciation, estimated: true },
    },
    // The band is the shared maths' result of the validated criterion bands; never the model's.
    band: taskBand(SPEAKING_CRITERIA.map((criterion) => criteria[criterion].band)),
    model: toModelUsageRecord(output.model),
    language,
  };
  return { result, model: output.model, repaired: output.repaired, features };
}
