import type { FeedbackLanguage } from '@bandup/shared';
import * as z from '@bandup/shared/zod';
import type { ChatMessage, ChatModel, ChatResponse } from '../clients/chat-model.js';
import { PermanentJobError } from '../runtime/errors.js';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { sumModelRuns } from '../runtime/model-usage-record.js';
import { extractJson } from './extract-json.js';

export interface StructuredOutputRequest<T> {
  readonly model: ChatModel;
  /** The zod schema the answer must match, strictly (no coercion, no defaults that invent scores). */
  readonly schema: z.core.$ZodType<T>;
  readonly system: string;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly temperature: number;
  /** What is being produced, for error messages (e.g. "writing assessment"). */
  readonly purpose: string;
  /**
   * The last line of the repair prompt: the format rules most worth repeating. Defaults to the
   * assessment rule (bands in half steps); other outputs (flashcards) pass their own.
   */
  readonly repairReminder?: string;
}

export interface StructuredOutput<T> {
  readonly value: T;
  /** Token usage, latency and calls summed over the first call and the repair call, if any. */
  readonly model: ModelMetadata;
  readonly repaired: boolean;
}

/**
 * Budgets (bytes of JSON) for the diagnostics kept on a failed job. The job store caps `error.details`
 * at 16 KiB and replaces anything larger with a marker, so the raw answers are cut to fit below it
 * rather than being lost whole.
 */
const RAW_ANSWER_MAX_JSON_BYTES = 7_000;
const FIRST_RAW_ANSWER_MAX_JSON_BYTES = 4_000;
const ERROR_MAX_JSON_BYTES = 200;
/** Validation errors listed back to the model (and on the job); the first few say what is wrong. */
const MAX_LISTED_ERRORS = 15;

type Check<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: string[] };

/**
 * Asks the model for JSON matching `schema`, parses strictly, and on a malformed or out-of-schema
 * answer runs exactly one repair round that shows the model its own answer and the validation errors.
 * If the repaired answer is still invalid, the job fails with `MODEL_OUTPUT_INVALID` and both raw
 * answers are kept. There is no fallback value: a score is either validated or not given.
 */
export async function generateStructured<T>(
  request: StructuredOutputRequest<T>,
): Promise<StructuredOutput<T>> {
  const calls: ChatResponse[] = [];
  const ask = async (messages: readonly ChatMessage[]) => {
    const response = await request.model.converse({
      system: request.system,
      messages,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
    });
    calls.push(response);
    return response;
  };

  const userTurn: ChatMessage = { role: 'user', text: request.prompt };
  const first = await ask([userTurn]);
  const firstCheck = checkAnswer(first, request.schema);
  if (firstCheck.ok) return { value: firstCheck.value, model: summarise(calls), repaired: false };

  const second = await ask([
    userTurn,
    { role: 'assistant', text: first.text.length > 0 ? first.text : '(empty answer)' },
    { role: 'user', text: repairPrompt(firstCheck.errors, request.repairReminder) },
  ]);
  const secondCheck = checkAnswer(second, request.schema);
  if (secondCheck.ok) return { value: secondCheck.value, model: summarise(calls), repaired: true };

  throw new PermanentJobError(
    'MODEL_OUTPUT_INVALID',
    // Bounded: the job's error message is shown to API callers (the full list is in `details`).
    `The model's ${request.purpose} did not match the required format after one repair round: ${secondCheck.errors
      .slice(0, 3)
      .map((error) => (error.length > 300 ? `${error.slice(0, 300)}...` : error))
      .join('; ')}`,
    {
      rawAnswer: fitJson(second.text, RAW_ANSWER_MAX_JSON_BYTES),
      validationErrors: secondCheck.errors
        .slice(0, MAX_LISTED_ERRORS)
        .map((e) => fitJson(e, ERROR_MAX_JSON_BYTES)),
      firstRawAnswer: fitJson(first.text, FIRST_RAW_ANSWER_MAX_JSON_BYTES),
      firstValidationErrors: firstCheck.errors.slice(0, 5).map((e) => fitJson(e, ERROR_MAX_JSON_BYTES)),
      model: summarise(calls),
    },
  );
}

/** Parses and validates one answer; the error strings name the field (`criteria.lexicalResource.band: ...`). */
export function checkAnswer<T>(
  response: Pick<ChatResponse, 'text' | 'stopReason'>,
  schema: z.core.$ZodType<T>,
): Check<T> {
  const cutOff =
    response.stopReason === 'max_tokens'
      ? ['the answer was cut off at the token limit: answer more concisely so the JSON is complete']
      : [];
  const parsed = extractJson(response.text);
  if (!parsed.ok) return { ok: false, errors: [...cutOff, parsed.error] };
  const result = z.safeParse(schema, parsed.value);
  if (!result.success) {
    return {
      ok: false,
      errors: [
        ...cutOff,
        ...result.error.issues.map(
          (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
        ),
      ],
    };
  }
  return { ok: true, value: result.data };
}

const DEFAULT_REPAIR_REMINDER =
  'no Markdown fences, no text before or after it, every band a multiple of 0.5 between 0 and 9.';

/** The assessment repair reminder in a feedback language: Vietnamese answers are reminded of the language rule. */
export function repairReminderFor(language: FeedbackLanguage): string {
  return language === 'vi'
    ? `${DEFAULT_REPAIR_REMINDER} Explanations in Vietnamese (tiếng Việt); quotes and suggestions stay in the learner's English.`
    : DEFAULT_REPAIR_REMINDER;
}

function repairPrompt(errors: readonly string[], reminder = DEFAULT_REPAIR_REMINDER): string {
  return [
    'Your previous answer cannot be used. These problems were found:',
    ...errors.slice(0, MAX_LISTED_ERRORS).map((error) => `- ${error}`),
    '',
    'Reply again with only the corrected JSON object, in exactly the format requested above:',
    reminder,
  ].join('\n');
}

function summarise(calls: readonly ChatResponse[]): ModelMetadata {
  return sumModelRuns(
    calls.map((call) => ({ modelId: call.modelId, usage: call.usage, latencyMs: call.latencyMs, calls: 1 })),
    'unknown',
  );
}

const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8');

/** The longest prefix of `text` whose JSON encoding fits `maxBytes`, marked when cut. */
export function fitJson(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) return text;
  const marker = ' [cut]';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, mid) + marker) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low) + marker;
}
