import { afterEach, describe, expect, it } from 'vitest';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { TitanEmbedder } from '../../src/clients/titan-embeddings.js';
import { embedTexts } from '../../src/rag/embed-chunks.js';
import {
  FAKE_CREDENTIALS,
  type FakeBedrock,
  type FakeBedrockOptions,
  startFakeBedrock,
} from '../fakes/fake-bedrock.js';
import { hashedBagOfWords, titanInvokeRoute } from '../fakes/fake-embeddings.js';

const MODEL = 'amazon.titan-embed-text-v2:0';
let fake: FakeBedrock | undefined;
let client: BedrockRuntime | undefined;

async function setup(invoke: NonNullable<FakeBedrockOptions['invoke']>, maxAttempts?: number) {
  fake = await startFakeBedrock({ invoke });
  client = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: FAKE_CREDENTIALS,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  return { fake, client };
}

afterEach(async () => {
  client?.destroy();
  await fake?.close();
  fake = undefined;
  client = undefined;
});

describe('TitanEmbedder (real Bedrock Runtime client, fake server)', () => {
  it('sends Titan V2 InvokeModel requests with the configured dimensions and normalisation', async () => {
    const { fake, client } = await setup(titanInvokeRoute());
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 512, normalize: true });
    const { vector, inputTokens } = await embedder.embed('Chlorophyll absorbs blue and red light.');

    expect(vector).toEqual(hashedBagOfWords('Chlorophyll absorbs blue and red light.', 512));
    expect(inputTokens).toBe(6);
    expect(fake.invokeCalls).toHaveLength(1);
    const call = fake.invokeCalls[0]!;
    expect(call.modelId).toBe(MODEL);
    expect(call.body).toEqual({
      inputText: 'Chlorophyll absorbs blue and red light.',
      dimensions: 512,
      normalize: true,
    });
    expect(call.request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFORTESTS\/\d{8}\/us-east-1\/bedrock\//,
    );
  });

  it('cuts input over the character limit and refuses empty text', async () => {
    const { fake, client } = await setup(titanInvokeRoute());
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 256, maxInputChars: 10 });
    await embedder.embed('abcdefghijklmnopqrstuvwxyz');
    expect((fake.invokeCalls[0]!.body as { inputText: string }).inputText).toBe('abcdefghij');
    await expect(embedder.embed('   ')).rejects.toThrow('empty text');
  });

  it('retries throttling (HTTP 429 ThrottlingException) and succeeds', async () => {
    const { fake, client } = await setup(titanInvokeRoute({ throttleFirst: 2 }), 4);
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 256 });
    const { vector } = await embedder.embed('Plate tectonics moves continents.');
    expect(vector).toHaveLength(256);
    expect(fake.invokeCalls).toHaveLength(3);
  });

  it('gives up after the client attempts are spent, surfacing the throttling error', async () => {
    const { fake, client } = await setup(titanInvokeRoute({ throttleFirst: 100 }), 2);
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 256 });
    await expect(embedder.embed('text')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.invokeCalls).toHaveLength(2);
  });

  it('rejects unsupported dimensions and answers of the wrong size', async () => {
    const { client } = await setup(() => ({
      status: 200,
      body: { embedding: [0.1, 0.2], inputTextTokenCount: 1 },
    }));
    expect(() => new TitanEmbedder({ client, modelId: MODEL, dimensions: 300 })).toThrow(
      'supports 256, 512, 1024 dimensions, not 300',
    );
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 256 });
    await expect(embedder.embed('text')).rejects.toThrow('returned 2 dimensions, 256 were asked for');
  });

  it('embeds many texts with bounded concurrency, in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const route = titanInvokeRoute();
    const { client } = await setup(async (call) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return route(call);
    });
    const embedder = new TitanEmbedder({ client, modelId: MODEL, dimensions: 256 });
    const texts = Array.from({ length: 12 }, (_, i) => `text number ${i} about topic ${i * 7}`);
    const { vectors, inputTokens } = await embedTexts(embedder, texts, 4);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(hashedBagOfWords(t, 256))));
    expect(inputTokens).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
