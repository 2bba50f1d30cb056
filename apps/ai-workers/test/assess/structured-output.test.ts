import { BandSchema } from '@bandup/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkAnswer, fitJson, generateStructured } from '../../src/assess/structured-output.js';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import {
  converseAnswer,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
} from '../fakes/fake-bedrock.js';

const Schema = z.strictObject({ band: BandSchema, note: z.string().min(1) });

let fake: FakeBedrock | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function run(replies: Parameters<typeof startFakeBedrock>[0]) {
  fake = await startFakeBedrock(replies);
  const client = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: FAKE_CREDENTIALS,
  });
  return generateStructured({
    model: new BedrockConverseModel(client, 'google.gemma-3-12b-it'),
    schema: Schema,
    system: 'system prompt',
    prompt: 'Give a band.',
    maxTokens: 200,
    temperature: 0.1,
    purpose: 'test answer',
  });
}

describe('generateStructured', () => {
  it('accepts a valid answer, even wrapped in a Markdown fence, with one call', async () => {
    const out = await run({ converse: ['```json\n{"band": 6.5, "note": "fine"}\n```'] });
    expect(out.value).toEqual({ band: 6.5, note: 'fine' });
    expect(out.repaired).toBe(false);
    expect(out.model).toMatchObject({ modelId: 'google.gemma-3-12b-it', calls: 1 });
  });

  it('repairs malformed JSON in one round that shows the model its answer and the errors', async () => {
    const out = await run({
      converse: [
        converseAnswer('{"band": 6.5, "note": "fine"', { inputTokens: 100, outputTokens: 10 }),
        converseAnswer('{"band": 6.5, "note": "fixed"}', { inputTokens: 150, outputTokens: 12 }),
      ],
    });
    expect(out.value.note).toBe('fixed');
    expect(out.repaired).toBe(true);
    expect(out.model).toMatchObject({ calls: 2, usage: { inputTokens: 250, outputTokens: 22 } });

    const repair = fake!.converseCalls[1]!.body;
    expect(repair.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair.messages[1]?.content[0]?.text).toBe('{"band": 6.5, "note": "fine"');
    expect(repair.messages[2]?.content[0]?.text).toMatch(/no JSON object|not valid JSON/);
    expect(repair.system).toEqual([{ text: 'system prompt' }]);
  });

  it('fails with MODEL_OUTPUT_INVALID after a second bad answer, keeping the raw answers', async () => {
    const error = await run({ converse: ['not json at all', '{"band": 6.5}'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    const permanent = error as PermanentJobError;
    expect(permanent.code).toBe('MODEL_OUTPUT_INVALID');
    expect(permanent.details).toMatchObject({
      rawAnswer: '{"band": 6.5}',
      firstRawAnswer: 'not json at all',
      model: { calls: 2 },
    });
    expect(permanent.details?.validationErrors).toEqual([expect.stringMatching(/^note: /)]);
    expect(fake!.converseCalls).toHaveLength(2);
  });

  it.each([9.5, 6.3, -1])(
    'rejects the out-of-range or off-scale band %s and asks for a repair',
    async (band) => {
      const out = await run({ converse: [`{"band": ${band}, "note": "x"}`, '{"band": 7, "note": "x"}'] });
      expect(out.value.band).toBe(7);
      expect(fake!.converseCalls[1]!.body.messages[2]?.content[0]?.text).toMatch(/- band: /);
    },
  );

  it('tells the model when its answer was cut off at the token limit', () => {
    const check = checkAnswer({ text: '{"band": 6', stopReason: 'max_tokens' }, Schema);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors[0]).toMatch(/cut off at the token limit/);
  });

  it("keeps the diagnostics of a huge, quote-heavy answer under the job store's 16 KiB limit", async () => {
    const huge = `{"note": "${'\\"'.repeat(20_000)}`;
    const error = (await run({ converse: [huge, huge] }).catch((e: unknown) => e)) as PermanentJobError;
    expect(error.code).toBe('MODEL_OUTPUT_INVALID');
    expect(Buffer.byteLength(JSON.stringify(error.details), 'utf8')).toBeLessThan(16 * 1024);
    expect(String(error.details?.rawAnswer)).toMatch(/^\{"note": .* \[cut\]$/s);
  });

  it('fitJson cuts text to a JSON byte budget and leaves short text alone', () => {
    expect(fitJson('short', 100)).toBe('short');
    const cut = fitJson('é'.repeat(1000), 101);
    expect(Buffer.byteLength(JSON.stringify(cut), 'utf8')).toBeLessThanOrEqual(101);
    expect(cut.endsWith(' [cut]')).toBe(true);
  });
});
