import { readFileSync } from 'node:fs';
import { type WritingAssessmentRequest, WritingResultSchema } from '@bandup/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { assessSpeaking } from '../../src/assess/assess-speaking.js';
import { assessWriting } from '../../src/assess/assess-writing.js';
import { looksVietnamese } from '../../src/assess/feedback-language.js';
import { parseTranscribeTranscript } from '../../src/assess/transcribe-transcript.js';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import {
  type ConverseReply,
  converseAnswer,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
} from '../fakes/fake-bedrock.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const sample = JSON.parse(fixture('writing-task2-essay.json')) as Omit<WritingAssessmentRequest, 'userId'>;
const ENGLISH_WRITING = fixture('model-answers/writing-task2.json');
const VIETNAMESE_WRITING = fixture('model-answers/writing-task2-vi.json');
const ENGLISH_SPEAKING = fixture('model-answers/speaking-part2.json');
const VIETNAMESE_SPEAKING = fixture('model-answers/speaking-part2-vi.json');

let fake: FakeBedrock | undefined;
let client: BedrockRuntime | undefined;
afterEach(async () => {
  client?.destroy();
  await fake?.close();
  fake = client = undefined;
});
async function modelAnswering(converse: readonly ConverseReply[]) {
  fake = await startFakeBedrock({ converse });
  client = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: FAKE_CREDENTIALS,
  });
  return new BedrockConverseModel(client, 'google.gemma-3-12b-it');
}
const userTurns = () =>
  fake!.converseCalls.map((call) => call.body.messages.map((m) => m.content.map((c) => c.text).join('')));

describe('looksVietnamese', () => {
  it.each([
    ['Bài viết bàn luận đầy đủ cả hai quan điểm.', true],
    ["Từ nối như 'On the one hand' và 'Moreover' được dùng chính xác.", true],
    ['Tốt', true],
    ['Both views are discussed and a clear opinion is given.', false],
    ['The café example is relevant and supports the argument well enough.', false],
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(looksVietnamese(text)).toBe(expected);
  });
});

describe('Writing feedback in Vietnamese', () => {
  it('asks for Vietnamese explanations, keeps the quotes verbatim English and records the language', async () => {
    const model = await modelAnswering([converseAnswer(VIETNAMESE_WRITING)]);
    const { result, repaired } = await assessWriting({ userId: 'u', ...sample, language: 'vi' }, model);
    expect(repaired).toBe(false);
    expect(WritingResultSchema.parse(result).language).toBe('vi');
    const prompt = userTurns()[0]![0]!;
    expect(prompt).toContain('Write every "feedback"');
    expect(prompt).toContain('in Vietnamese (tiếng Việt)');
    expect(prompt).toContain("never translate the learner's words");
    expect(looksVietnamese(result.criteria.taskAchievement.feedback)).toBe(true);
    expect(result.strengths.every(looksVietnamese)).toBe(true);
    // The verbatim check still applies: the invented third quote is dropped, the English ones kept.
    expect(result.examples.map((e) => e.quote)).toEqual([
      'Governments also has limited budgets',
      'the advantages of free education outweighs the disadvantages',
    ]);
    expect(result.examples.map((e) => e.suggestion)).toEqual([
      'Governments also have limited budgets',
      'the advantages of free education outweigh the disadvantages',
    ]);
    expect(result.examples.every((e) => looksVietnamese(e.issue))).toBe(true);
    expect(result.droppedExamples).toBe(1);
  });

  it('sends an English answer to the repair round naming each field, and accepts the Vietnamese repair', async () => {
    const model = await modelAnswering([converseAnswer(ENGLISH_WRITING), converseAnswer(VIETNAMESE_WRITING)]);
    const {
      result,
      repaired,
      model: usage,
    } = await assessWriting({ userId: 'u', ...sample, language: 'vi' }, model);
    expect(repaired).toBe(true);
    expect(usage.calls).toBe(2);
    expect(result.language).toBe('vi');
    const repairTurn = userTurns()[1]![2]!;
    expect(repairTurn).toContain(
      'criteria.taskAchievement.feedback: Must be written in Vietnamese (tiếng Việt); only quoted English words stay in English',
    );
    expect(repairTurn).toContain('strengths.0: Must be written in Vietnamese');
    expect(repairTurn).toContain('examples.0.issue: Must be written in Vietnamese');
    expect(repairTurn).toContain('quotes and suggestions stay in the learner');
  });

  it('fails MODEL_OUTPUT_INVALID when the repair is still English', async () => {
    const model = await modelAnswering([converseAnswer(ENGLISH_WRITING), converseAnswer(ENGLISH_WRITING)]);
    const error = await assessWriting({ userId: 'u', ...sample, language: 'vi' }, model).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).code).toBe('MODEL_OUTPUT_INVALID');
    expect((error as PermanentJobError).message).toContain('Must be written in Vietnamese');
  });

  it('English stays the default: no language paragraph, no language check, language recorded as en', async () => {
    const model = await modelAnswering([converseAnswer(ENGLISH_WRITING)]);
    const { result, repaired } = await assessWriting({ userId: 'u', ...sample }, model);
    expect(repaired).toBe(false);
    expect(result.language).toBe('en');
    expect(userTurns()[0]![0]).not.toContain('Vietnamese');
  });
});

describe('Speaking feedback in Vietnamese', () => {
  const transcript = parseTranscribeTranscript(JSON.parse(fixture('speaking-part2-transcript.json')));
  const input = { part: 2 as const, questions: ['Describe a place you like to visit.'], transcript };

  it('repairs English feedback into Vietnamese; the band is still the shared maths', async () => {
    const model = await modelAnswering([
      converseAnswer(ENGLISH_SPEAKING),
      converseAnswer(VIETNAMESE_SPEAKING),
    ]);
    const { result, repaired } = await assessSpeaking({ ...input, language: 'vi' }, model);
    expect(repaired).toBe(true);
    expect(result.language).toBe('vi');
    expect(result.band).toBe(6); // 6.5, 6, 6, 6.5 -> 6.25 -> rounded down to 6
    expect(Object.values(result.criteria).every((c) => looksVietnamese(c.feedback))).toBe(true);
    expect(result.criteria.pronunciation.estimated).toBe(true);
    expect(userTurns()[0]![0]).toContain('Keep words you cite from the transcript in English');
    expect(userTurns()[1]![2]).toContain('criteria.fluencyCoherence.feedback: Must be written in Vietnamese');
  });
});
