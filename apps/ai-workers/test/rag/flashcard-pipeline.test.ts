import { FlashcardSetResultSchema } from '@bandup/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { GeminiModel } from '../../src/clients/gemini.js';
import { createS3Objects, type S3Objects } from '../../src/clients/s3-objects.js';
import { TitanEmbedder } from '../../src/clients/titan-embeddings.js';
import { decodeCacheFile, S3EmbeddingStore } from '../../src/rag/embedding-cache.js';
import { type FlashcardPipelineDeps, runFlashcardPipeline } from '../../src/rag/flashcard-pipeline.js';
import { MemoizedEmbedder } from '../../src/rag/memoized-embedder.js';
import { ragConfig } from '../../src/rag/rag-config.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import { FAKE_CREDENTIALS, type FakeBedrock, startFakeBedrock } from '../fakes/fake-bedrock.js';
import { groundedCardWriter } from '../fakes/fake-card-writer.js';
import { titanInvokeRoute } from '../fakes/fake-embeddings.js';
import { type FakeGemini, GEMINI_UNAVAILABLE, startFakeGemini } from '../fakes/fake-gemini.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { textPdf } from './support/test-pdfs.js';

const BUCKET = 'bandup-test-data';
const EMBED_MODEL = 'amazon.titan-embed-text-v2:0';
const config = ragConfig({ chunking: { targetChars: 260, overlapChars: 60 }, queries: { count: 4 } });

const pages = [
  [
    'Photosynthesis is the process by which green plants make glucose from light.',
    'It takes place in the chloroplasts of leaf cells.',
    'Chlorophyll absorbs red and blue light and reflects green light.',
  ],
  [
    'The water cycle moves water between the oceans, the air and the land.',
    'Evaporation turns liquid water into water vapour when the sun heats the sea.',
    'Condensation forms clouds when water vapour cools high in the atmosphere.',
  ],
  [
    'Plate tectonics explains how the outer shell of the Earth is split into plates.',
    'Earthquakes happen where plates grind past each other along faults.',
    'Volcanoes form where one plate sinks beneath another and melts.',
  ],
];

let bedrock: FakeBedrock;
let s3: FakeS3;
let gemini: FakeGemini | undefined;
let bedrockClient: BedrockRuntime;
let s3Objects: S3Objects;

beforeEach(async () => {
  bedrock = await startFakeBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
  s3 = await startFakeS3();
  bedrockClient = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: bedrock.url,
    credentials: FAKE_CREDENTIALS,
  });
  s3Objects = createS3Objects({
    region: 'ap-southeast-1',
    endpoint: s3.url,
    forcePathStyle: true,
    credentials: FAKE_CREDENTIALS,
  });
});
afterEach(async () => {
  bedrockClient.destroy();
  s3Objects.destroy();
  await Promise.all([bedrock.close(), s3.close(), gemini?.close()]);
  gemini = undefined;
});

function deps(overrides: Partial<FlashcardPipelineDeps> = {}): FlashcardPipelineDeps {
  const embedder = new TitanEmbedder({ client: bedrockClient, modelId: EMBED_MODEL, dimensions: 512 });
  return {
    embedder,
    queryEmbedder: new MemoizedEmbedder(embedder),
    embeddingStore: new S3EmbeddingStore(s3Objects, BUCKET),
    chatModel: new BedrockConverseModel(bedrockClient, 'google.gemma-3-12b-it'),
    config,
    ...overrides,
  };
}

const request = {
  count: 5,
  difficulty: 'easy' as const,
  cardTypes: ['comprehension', 'fill-in-the-blank'] as const,
};
const invokedTexts = () => bedrock.invokeCalls.map((call) => (call.body as { inputText: string }).inputText);

describe('runFlashcardPipeline (fake Bedrock, S3 and Gemini behind the real SDK clients)', () => {
  it('turns a PDF into the requested number of cited cards and caches the chunk embeddings', async () => {
    const bytes = await textPdf(pages, 'Geography and biology notes');
    const { result, diagnostics } = await runFlashcardPipeline(
      deps(),
      { bytes, key: 'uploads/documents/u1/doc.pdf' },
      request,
    );

    expect(FlashcardSetResultSchema.parse(result)).toEqual(result);
    expect(result.cards).toHaveLength(5);
    expect(result.shortfallReason).toBeUndefined();
    expect(result.requestedCount).toBe(5);
    const pageOfChunk = (id: string) => Number(/^p(\d+)-/.exec(id)?.[1]);
    for (const card of result.cards) {
      expect(card.citations.length).toBeGreaterThan(0);
      for (const citation of card.citations) {
        expect(result.retrieval.chunksUsed).toContain(citation.chunkId);
        expect(citation.page).toBe(pageOfChunk(citation.chunkId));
      }
      expect(['comprehension', 'fill-in-the-blank']).toContain(card.type);
    }
    expect(Object.keys(result.retrieval.scores).sort()).toEqual([...result.retrieval.chunksUsed].sort());
    expect(diagnostics.document).toMatchObject({ format: 'pdf', pageCount: 3, pagesWithText: 3 });
    expect(result.retrieval.queryMode).toBe('fallback');
    expect(result.retrieval.fallbackReason).toBe('Gemini is not configured');
    expect(diagnostics.perQuery).toHaveLength(result.retrieval.queries.length);
    expect(result.embedding).toMatchObject({
      cacheHit: false,
      chunksEmbedded: diagnostics.document.chunkCount,
      dimensions: 512,
    });
    expect(result.model.inputTokens).toBeGreaterThan(0);
    expect(Object.keys(result.timings)).toEqual([
      'parseMs',
      'embedMs',
      'queryPlanMs',
      'retrieveMs',
      'generateMs',
      'totalMs',
    ]);

    // The cache object sits under embeddings/<model>/<dimensions>/<sha256>.json with every chunk.
    const keys = [...s3.objects.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      new RegExp(`^${BUCKET}/embeddings/amazon\\.titan-embed-text-v2:0/512/[0-9a-f]{64}\\.json$`),
    );
    const cached = decodeCacheFile(s3.objects.get(keys[0]!)!.body.toString('utf8'));
    expect(cached.chunkIds).toHaveLength(diagnostics.document.chunkCount);
  });

  it('embeds nothing on a second request for the same document', async () => {
    const bytes = await textPdf(pages);
    const warm = deps();
    const source = { bytes, key: 'uploads/documents/u1/doc.pdf' };
    const first = await runFlashcardPipeline(warm, source, request);
    const firstCalls = bedrock.invokeCalls.length;
    expect(firstCalls).toBe(first.diagnostics.document.chunkCount + first.result.retrieval.queries.length);

    // Same container: chunk vectors from S3, query vectors from memory -> no InvokeModel at all.
    const { result: second } = await runFlashcardPipeline(warm, source, request);
    expect(bedrock.invokeCalls.length).toBe(firstCalls);
    expect(second.embedding).toMatchObject({ cacheHit: true, chunksEmbedded: 0, inputTokens: 0 });
    expect(second.cards).toEqual(first.result.cards);

    // A fresh container still skips every chunk; only the (uncached) queries are embedded.
    await runFlashcardPipeline(deps(), source, request);
    const newTexts = invokedTexts().slice(firstCalls);
    expect(newTexts.sort()).toEqual([...second.retrieval.queries].sort());
  });

  it('treats an unreadable cache entry as a miss and overwrites it', async () => {
    const bytes = await textPdf(pages);
    const source = { bytes, key: 'doc.pdf' };
    await runFlashcardPipeline(deps(), source, request);
    const [key] = [...s3.objects.keys()];
    s3.objects.set(key!, {
      body: Buffer.from('{"formatVersion":1,"truncated'),
      contentType: 'application/json',
    });

    const { result } = await runFlashcardPipeline(deps(), source, request);
    expect(result.embedding.cacheHit).toBe(false);
    expect(() => decodeCacheFile(s3.objects.get(key!)!.body.toString('utf8'))).not.toThrow();
  });

  it('re-embeds when the chunking changes (the cache key covers the chunking parameters)', async () => {
    const bytes = await textPdf(pages);
    const source = { bytes, key: 'doc.pdf' };
    await runFlashcardPipeline(deps(), source, request);
    const { result: other } = await runFlashcardPipeline(
      deps({
        config: ragConfig({ chunking: { targetChars: 400, overlapChars: 50 }, queries: { count: 4 } }),
      }),
      source,
      request,
    );
    expect(other.embedding.cacheHit).toBe(false);
    expect(s3.objects.size).toBe(2);
  });

  it('uses Gemini queries when available and falls back when Gemini is down', async () => {
    gemini = await startFakeGemini({
      reply: (call) =>
        call.prompt.includes('volcano')
          ? JSON.stringify({ queries: ['how volcanoes and earthquakes form at plate boundaries'] })
          : GEMINI_UNAVAILABLE,
    });
    const model = new GeminiModel({
      modelId: 'gemini-2.0-flash',
      baseUrl: gemini.url,
      apiKey: async () => 'k',
    });
    const bytes = await textPdf(pages);

    const { result: steered } = await runFlashcardPipeline(
      deps({ queryModel: model }),
      { bytes, key: 'doc.pdf' },
      { ...request, count: 2, topicHint: 'volcano' },
    );
    expect(steered.retrieval.queryMode).toBe('model');
    expect(steered.retrieval.fallbackReason).toBeUndefined();
    expect(steered.retrieval.queries).toEqual(['how volcanoes and earthquakes form at plate boundaries']);
    expect(steered.retrieval.chunksUsed[0]).toMatch(/^p3-/); // the plate tectonics page wins
    expect(steered.queryModel).toMatchObject({ modelId: 'gemini-2.0-flash', inputTokens: 420, calls: 1 });

    const { result: fallback } = await runFlashcardPipeline(
      deps({ queryModel: model }),
      { bytes, key: 'doc.pdf' },
      request,
    );
    expect(fallback.retrieval.queryMode).toBe('fallback');
    expect(fallback.retrieval.fallbackReason).toContain('Gemini query planning failed');
    expect(fallback.queryModel).toBeUndefined();
    expect(fallback.cards).toHaveLength(5);
  });

  it('goes on without the cache when S3 fails, and cites no page for plain text', async () => {
    const bytes = new TextEncoder().encode(pages.flat().join(' '));
    const broken = {
      get: async () => Promise.reject(new Error('S3 down')),
      put: async () => Promise.reject(new Error('S3 down')),
    };
    const { result, diagnostics } = await runFlashcardPipeline(
      deps({ embeddingStore: broken }),
      { bytes, key: 'notes.txt' },
      request,
    );
    expect(result.cards).toHaveLength(5);
    expect(diagnostics.document.format).toBe('text');
    for (const card of result.cards) for (const citation of card.citations) expect(citation.page).toBeNull();
  });

  it('fails with INSUFFICIENT_CONTENT when no card survives the checks', async () => {
    await bedrock.close();
    bedrock = await startFakeBedrock({
      invoke: titanInvokeRoute(),
      converse: () =>
        JSON.stringify({
          cards: [{ question: 'What is X?', answer: 'Y', type: 'comprehension', sources: ['nope'] }],
        }),
    });
    bedrockClient.destroy();
    bedrockClient = createBedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: bedrock.url,
      credentials: FAKE_CREDENTIALS,
    });
    const bytes = new TextEncoder().encode(pages.flat().join(' '));
    const error = await runFlashcardPipeline(deps(), { bytes, key: 'notes.txt' }, request).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_CONTENT' });
    expect((error as Error).message).toContain('citing passages that were not provided');
  });
});
