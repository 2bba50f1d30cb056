import { afterEach, describe, expect, it } from 'vitest';
import { GeminiModel, geminiApiKeyFromSecret } from '../../src/clients/gemini.js';
import { checkGeminiSecret } from '../../src/clients/gemini-secret-check.js';
import { CachedSecretReader, createSecretsManagerClient } from '../../src/clients/secrets.js';
import type { ParsedDocument } from '../../src/rag/parsed-document.js';
import { DEFAULT_RAG_CONFIG } from '../../src/rag/rag-config.js';
import { keywordQueries, planQueries } from '../../src/rag/smart-queries.js';
import { FAKE_CREDENTIALS } from '../fakes/fake-bedrock.js';
import { type FakeGemini, GEMINI_UNAVAILABLE, geminiAnswer, startFakeGemini } from '../fakes/fake-gemini.js';
import { type FakeSecretsManager, startFakeSecretsManager } from '../fakes/fake-secrets-manager.js';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:bandup-dev-gemini-AbCdEf';
const document: ParsedDocument = {
  format: 'markdown',
  pageCount: 1,
  title: 'Cell biology',
  headings: ['Cell biology', 'Organelles', 'Cell division'],
  pages: [
    {
      pageNumber: 1,
      text: 'Mitochondria produce ATP. Ribosomes build proteins. Mitosis divides the nucleus. Mitochondria have DNA.',
    },
  ],
};
const config = { ...DEFAULT_RAG_CONFIG.queries, count: 4, timeoutMs: 2_000 };

const secretsClient = (endpoint: string) =>
  createSecretsManagerClient({ region: 'ap-southeast-1', endpoint, credentials: FAKE_CREDENTIALS });

let gemini: FakeGemini | undefined;
let secrets: FakeSecretsManager | undefined;
afterEach(async () => {
  await gemini?.close();
  await secrets?.close();
  gemini = undefined;
  secrets = undefined;
});

async function geminiWithSecret(reply: Parameters<typeof startFakeGemini>[0]['reply'], secretValue?: string) {
  gemini = await startFakeGemini({ reply });
  secrets = await startFakeSecretsManager(secretValue === undefined ? {} : { [SECRET_ARN]: secretValue });
  const reader = new CachedSecretReader(secretsClient(secrets.url));
  const model = new GeminiModel({
    modelId: 'gemini-2.0-flash',
    baseUrl: gemini.url,
    apiKey: async () => geminiApiKeyFromSecret(await reader.getString(SECRET_ARN)),
  });
  return { model, reader };
}

describe('planQueries with Gemini (real SDK, fake API, key from a fake Secrets Manager)', () => {
  it('uses the validated queries Gemini writes from the outline and topic hint', async () => {
    const { model } = await geminiWithSecret(
      () =>
        JSON.stringify({
          queries: ['how mitochondria produce ATP', 'role of ribosomes', 'stages of mitosis'],
        }),
      JSON.stringify({ apiKey: 'gemini-key-from-secret' }),
    );
    const plan = await planQueries({ model, document, topicHint: 'energy in cells', config });

    expect(plan).toMatchObject({
      mode: 'model',
      queries: ['how mitochondria produce ATP', 'role of ribosomes', 'stages of mitosis'],
      model: { modelId: 'gemini-2.0-flash', inputTokens: 420, outputTokens: 64 },
    });
    const call = gemini!.calls[0]!;
    expect(call.model).toBe('gemini-2.0-flash');
    expect(call.apiKey).toBe('gemini-key-from-secret');
    expect(call.prompt).toContain('The learner wants to focus on: "energy in cells"');
    expect(call.prompt).toContain('- Organelles');
    expect(call.prompt).toContain('Frequent terms: mitochondria');
    expect(
      call.request.json<{ generationConfig: { responseMimeType: string } }>().generationConfig
        .responseMimeType,
    ).toBe('application/json');
  });

  it('falls back to keyword queries, marked as such, when Gemini is down', async () => {
    const { model } = await geminiWithSecret(() => GEMINI_UNAVAILABLE, 'plain-key');
    const plan = await planQueries({ model, document, config });
    expect(plan.mode).toBe('fallback');
    expect(plan.fallbackReason).toMatch(/Gemini query planning failed: .*503/);
    expect(plan.queries).toEqual(keywordQueries(document, undefined, 4));
    expect(gemini!.calls).toHaveLength(1);
  });

  it('falls back when Gemini does not answer within the timeout', async () => {
    const { model } = await geminiWithSecret(
      () => ({ ...geminiAnswer('{"queries":["late"]}'), delayMs: 1_500 }),
      'k',
    );
    const plan = await planQueries({ model, document, config: { ...config, timeoutMs: 200 } });
    expect(plan.mode).toBe('fallback');
    expect(plan.fallbackReason).toMatch(/abort|timeout/i);
  });

  it('falls back when Gemini answers with JSON of the wrong shape', async () => {
    const { model } = await geminiWithSecret(() => JSON.stringify({ questions: ['x'] }), 'plain-key');
    const plan = await planQueries({ model, document, config });
    expect(plan.mode).toBe('fallback');
    expect(plan.fallbackReason).toContain('invalid query JSON');
  });

  it('falls back when the Gemini secret does not exist, without calling Gemini', async () => {
    const { model } = await geminiWithSecret(() => JSON.stringify({ queries: ['never used'] }));
    const plan = await planQueries({ model, document, config });
    expect(plan.mode).toBe('fallback');
    expect(plan.fallbackReason).toContain("can't find the specified secret");
    expect(gemini!.calls).toHaveLength(0);
  });

  it.each([
    ['created but never set', undefined],
    ['an empty string', '  '],
    ['JSON without a key', '{"apiKey": ""}'],
  ])(
    'marks a missing key (secret %s) as a configuration error, not a passing failure',
    async (_label, value) => {
      const { model } = await geminiWithSecret(() => geminiAnswer('{"queries":["x y z"]}'), value);
      const plan = await planQueries({ model, document, config });
      expect(plan).toMatchObject({ mode: 'fallback', keyMissing: true });
      expect(gemini!.calls).toHaveLength(0);
    },
  );

  it('does not mark a Gemini outage as a missing key', async () => {
    const { model } = await geminiWithSecret(() => GEMINI_UNAVAILABLE, 'plain-key');
    const plan = await planQueries({ model, document, config });
    expect(plan.mode).toBe('fallback');
    expect(plan.keyMissing).toBeUndefined();
  });

  it('the deploy check fails an unset, empty or key-less secret by name and passes a set one', async () => {
    secrets = await startFakeSecretsManager({
      empty: '',
      keyless: '{"other":1}',
      set: '{"apiKey":"k-123"}',
      bare: 'k-456',
    });
    const client = secretsClient(secrets.url);
    expect(await checkGeminiSecret(client, 'never-set')).toEqual({
      ok: false,
      reason: 'never-set has no value yet (created but never set)',
    });
    expect(await checkGeminiSecret(client, 'empty')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('empty'),
    });
    expect(await checkGeminiSecret(client, 'keyless')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('apiKey'),
    });
    expect(await checkGeminiSecret(client, 'set')).toEqual({ ok: true });
    expect(await checkGeminiSecret(client, 'bare')).toEqual({ ok: true });
    // The key itself never appears in a result.
    expect(JSON.stringify(await checkGeminiSecret(client, 'keyless'))).not.toContain('k-123');
  });

  it('falls back when Gemini is not configured at all', async () => {
    const plan = await planQueries({ model: undefined, document, config });
    expect(plan).toMatchObject({ mode: 'fallback', fallbackReason: 'Gemini is not configured' });
  });

  it('reads the secret once per container and reuses it', async () => {
    const { model, reader } = await geminiWithSecret(
      () => JSON.stringify({ queries: ['a query'] }),
      'plain-key',
    );
    await planQueries({ model, document, config });
    await planQueries({ model, document, config });
    await reader.getString(SECRET_ARN);
    expect(secrets!.getCalls()).toBe(1);
    expect(gemini!.calls.map((call) => call.apiKey)).toEqual(['plain-key', 'plain-key']);
  });
});

describe('keywordQueries', () => {
  it('puts the topic hint first, then headings, then keyword pairs, without repeats', () => {
    const queries = keywordQueries(document, 'mitosis', 6);
    expect(queries[0]).toBe('mitosis');
    expect(queries[1]).toBe('key facts and definitions about mitosis');
    expect(queries).toContain('Cell biology');
    expect(queries).toHaveLength(6);
    expect(new Set(queries).size).toBe(6);
  });
});

describe('geminiApiKeyFromSecret', () => {
  it('accepts a bare key or JSON with apiKey, and names what is wrong otherwise', () => {
    expect(geminiApiKeyFromSecret('  abc123 \n')).toBe('abc123');
    expect(geminiApiKeyFromSecret('{"apiKey":"k1"}')).toBe('k1');
    expect(geminiApiKeyFromSecret('{"GEMINI_API_KEY":"k2"}')).toBe('k2');
    expect(() => geminiApiKeyFromSecret('{"other":"x"}')).toThrow('without a non-empty "apiKey" field');
    expect(() => geminiApiKeyFromSecret('{oops')).toThrow('does not parse');
  });
});

describe('CachedSecretReader', () => {
  it('re-reads after the TTL and does not cache failures', async () => {
    secrets = await startFakeSecretsManager({});
    let now = 0;
    const reader = new CachedSecretReader(secretsClient(secrets.url), {
      ttlMs: 1_000,
      now: () => now,
    });
    await expect(reader.getString('s')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    secrets.secrets.set('s', 'v1');
    expect(await reader.getString('s')).toBe('v1');
    secrets.secrets.set('s', 'v2');
    expect(await reader.getString('s')).toBe('v1');
    now = 1_001;
    expect(await reader.getString('s')).toBe('v2');
    expect(secrets.getCalls()).toBe(3);
  });
});
