/**
 * Runs the flashcard RAG pipeline on a local document and prints the cited cards.
 *
 *   pnpm --filter @bandup/ai-workers exec tsx scripts/flashcards-local.ts [options]
 *
 * By default everything runs against local fakes on 127.0.0.1 (the same fakes the tests use): a
 * Bedrock Runtime that answers Titan InvokeModel with deterministic embeddings and Converse with a
 * grounded card writer, an S3 for the embedding cache, and a Gemini that plans queries from the
 * outline. The workers' own clients talk to them, so the command exercises the production code paths.
 *
 * With `--live` it calls the real services with the credentials of the environment (AWS profile or
 * variables): Bedrock Runtime in BANDUP_BEDROCK_REGION (or AWS_REGION), models from
 * BANDUP_ASSESSMENT_MODEL_ID / BANDUP_EMBEDDING_MODEL_ID / BANDUP_EMBEDDING_DIMENSIONS (defaults:
 * google.gemma-3-12b-it, amazon.titan-embed-text-v2:0, 1024), Gemini with GEMINI_API_KEY or the key
 * in the BANDUP_GEMINI_SECRET_ARN secret (neither: keyword fallback queries), and the embedding
 * cache in BANDUP_DATA_BUCKET when set (otherwise in memory for this run).
 *
 * Options:
 *   --file <path>         document to read (PDF, .txt, .md); default fixtures/sample-document.pdf
 *   --count <n>           cards to write, 1-50 (default 8)
 *   --difficulty <d>      easy | medium | hard (default medium)
 *   --types <a,b>         card types (default definition,comprehension,fill-in-the-blank)
 *   --topic <text>        topic hint for the query planner
 *   --runs <n>            run the pipeline n times (default 2: the second shows the cache hit)
 *   --json                print the full result JSON instead of the summary
 *   --live                use the real AWS and Gemini services
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CARD_DIFFICULTIES,
  CARD_TYPES,
  type CardDifficulty,
  type CardType,
  FLASHCARD_LIMITS,
  type FlashcardSetResult,
} from '@bandup/shared';
import { BedrockConverseModel } from '../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../src/clients/bedrock-runtime.js';
import { GeminiModel, geminiApiKeyFromSecret, type JsonTextModel } from '../src/clients/gemini.js';
import { createS3Objects } from '../src/clients/s3-objects.js';
import { CachedSecretReader, createSecretsManagerClient } from '../src/clients/secrets.js';
import { TitanEmbedder } from '../src/clients/titan-embeddings.js';
import { type CachedEmbeddings, type EmbeddingStore, S3EmbeddingStore } from '../src/rag/embedding-cache.js';
import { type FlashcardPipelineDeps, runFlashcardPipeline } from '../src/rag/flashcard-pipeline.js';
import { MemoizedEmbedder } from '../src/rag/memoized-embedder.js';
import { DEFAULT_RAG_CONFIG } from '../src/rag/rag-config.js';
import { PermanentJobError } from '../src/runtime/errors.js';
import { FAKE_CREDENTIALS, startFakeBedrock } from '../test/fakes/fake-bedrock.js';
import { groundedCardWriter } from '../test/fakes/fake-card-writer.js';
import { titanInvokeRoute } from '../test/fakes/fake-embeddings.js';
import { startFakeGemini } from '../test/fakes/fake-gemini.js';
import type { FakeHttpServer } from '../test/fakes/fake-http-server.js';
import { startFakeS3 } from '../test/fakes/fake-s3.js';
import { operatorCredentials } from './operator-credentials.js';

const { values } = parseArgs({
  options: {
    file: {
      type: 'string',
      default: fileURLToPath(new URL('../fixtures/sample-document.pdf', import.meta.url)),
    },
    count: { type: 'string', default: '8' },
    difficulty: { type: 'string', default: 'medium' },
    types: { type: 'string', default: 'definition,comprehension,fill-in-the-blank' },
    topic: { type: 'string' },
    runs: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`flashcards-local: ${message}`);
  process.exit(2);
}

const count = Number(values.count);
if (!Number.isInteger(count) || count < FLASHCARD_LIMITS.minCards || count > FLASHCARD_LIMITS.maxCards) {
  fail(`--count must be an integer from ${FLASHCARD_LIMITS.minCards} to ${FLASHCARD_LIMITS.maxCards}`);
}
if (!(CARD_DIFFICULTIES as readonly string[]).includes(values.difficulty)) {
  fail(`--difficulty must be one of ${CARD_DIFFICULTIES.join(', ')}`);
}
const cardTypes = values.types.split(',').map((type) => type.trim());
const unknownType = cardTypes.find((type) => !(CARD_TYPES as readonly string[]).includes(type));
if (unknownType) fail(`--types: "${unknownType}" is not one of ${CARD_TYPES.join(', ')}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer');

/** Embedding cache for a live run without a bucket: this process only. */
class MemoryEmbeddingStore implements EmbeddingStore {
  private readonly entries = new Map<string, CachedEmbeddings>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async put(key: string, value: CachedEmbeddings) {
    this.entries.set(key, value);
  }
}

interface Setup {
  readonly deps: FlashcardPipelineDeps;
  readonly describe: string;
  close(): Promise<void>;
}

async function fakeSetup(): Promise<Setup> {
  const bedrock = await startFakeBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
  const s3 = await startFakeS3();
  // A query planner that proposes one query per heading of the outline it is shown.
  const gemini = await startFakeGemini({
    reply: (call) => {
      const headings = /Headings:\n((?:- .*\n?)+)/.exec(call.prompt)?.[1] ?? '';
      const queries = headings
        .split('\n')
        .map((line) => line.replace(/^- /, '').trim())
        .filter(Boolean)
        .map((heading) => `key facts about ${heading.toLowerCase()}`);
      return JSON.stringify({ queries: queries.length > 0 ? queries : ['main ideas of the document'] });
    },
  });
  const servers: FakeHttpServer[] = [bedrock, s3, gemini];
  const bedrockClient = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: bedrock.url,
    credentials: FAKE_CREDENTIALS,
  });
  const s3Objects = createS3Objects({
    region: 'us-east-1',
    endpoint: s3.url,
    forcePathStyle: true,
    credentials: FAKE_CREDENTIALS,
  });
  const embedder = new TitanEmbedder({
    client: bedrockClient,
    modelId: 'amazon.titan-embed-text-v2:0',
    dimensions: 1024,
  });
  return {
    deps: {
      embedder,
      queryEmbedder: new MemoizedEmbedder(embedder),
      embeddingStore: new S3EmbeddingStore(s3Objects, 'bandup-local-ai-data'),
      chatModel: new BedrockConverseModel(bedrockClient, 'google.gemma-3-12b-it'),
      queryModel: new GeminiModel({
        modelId: 'gemini-flash-lite-latest',
        baseUrl: gemini.url,
        apiKey: async () => 'local-fake-key',
      }),
      config: DEFAULT_RAG_CONFIG,
    },
    describe: `fake services on 127.0.0.1 (Bedrock ${bedrock.url}, S3 ${s3.url}, Gemini ${gemini.url})`,
    close: async () => {
      bedrockClient.destroy();
      s3Objects.destroy();
      await Promise.all(servers.map((server) => server.close()));
      console.log(
        `(fake Bedrock received ${bedrock.invokeCalls.length} InvokeModel and ${bedrock.converseCalls.length} Converse calls)`,
      );
    },
  };
}

async function liveSetup(): Promise<Setup> {
  const env = process.env;
  const region = env.BANDUP_BEDROCK_REGION ?? env.AWS_REGION;
  if (!region) fail('--live needs BANDUP_BEDROCK_REGION or AWS_REGION');
  const credentials = await operatorCredentials(region);
  const bedrockClient = createBedrockRuntimeClient({ region, credentials });
  const embeddingModel = env.BANDUP_EMBEDDING_MODEL_ID ?? 'amazon.titan-embed-text-v2:0';
  const embedder = new TitanEmbedder({
    client: bedrockClient,
    modelId: embeddingModel,
    dimensions: Number(env.BANDUP_EMBEDDING_DIMENSIONS ?? 1024),
  });
  const bucket = env.BANDUP_DATA_BUCKET;
  const s3Objects = bucket ? createS3Objects({ region: env.AWS_REGION ?? region, credentials }) : undefined;
  let queryModel: JsonTextModel | undefined;
  const geminiModelId = env.BANDUP_GEMINI_MODEL_ID ?? 'gemini-flash-lite-latest';
  if (env.GEMINI_API_KEY) {
    const key = env.GEMINI_API_KEY;
    queryModel = new GeminiModel({ modelId: geminiModelId, apiKey: async () => key });
  } else if (env.BANDUP_GEMINI_SECRET_ARN) {
    const secretArn = env.BANDUP_GEMINI_SECRET_ARN;
    const secrets = new CachedSecretReader(createSecretsManagerClient({ region: env.AWS_REGION ?? region }));
    queryModel = new GeminiModel({
      modelId: geminiModelId,
      apiKey: async () => geminiApiKeyFromSecret(await secrets.getString(secretArn)),
    });
  }
  const chatModelId = env.BANDUP_ASSESSMENT_MODEL_ID ?? 'google.gemma-3-12b-it';
  return {
    deps: {
      embedder,
      queryEmbedder: new MemoizedEmbedder(embedder),
      embeddingStore:
        s3Objects && bucket ? new S3EmbeddingStore(s3Objects, bucket) : new MemoryEmbeddingStore(),
      chatModel: new BedrockConverseModel(bedrockClient, chatModelId),
      ...(queryModel ? { queryModel } : {}),
      config: DEFAULT_RAG_CONFIG,
    },
    describe:
      `live: Bedrock ${region} (${chatModelId}, ${embeddingModel}), ` +
      `queries ${queryModel ? `Gemini ${geminiModelId}` : 'keyword fallback (no Gemini key)'}, ` +
      `embedding cache ${bucket ? `s3://${bucket}` : 'in memory'}`,
    close: async () => {
      bedrockClient.destroy();
      s3Objects?.destroy();
    },
  };
}

function printSummary(result: FlashcardSetResult, run: number): void {
  console.log(`\n=== run ${run}: ${result.cards.length} of ${result.requestedCount} cards ===`);
  if (result.shortfallReason) console.log(`shortfall: ${result.shortfallReason}`);
  console.log(
    `queries (${result.retrieval.queryMode}${result.retrieval.fallbackReason ? `: ${result.retrieval.fallbackReason}` : ''}):`,
  );
  for (const query of result.retrieval.queries) console.log(`  - ${query}`);
  console.log(
    `chunks used: ${result.retrieval.chunksUsed.map((id) => `${id} (${result.retrieval.scores[id]?.toFixed(3)})`).join(', ')}`,
  );
  console.log(
    `embedding: ${result.embedding.modelId} x${result.embedding.dimensions}, cache ${result.embedding.cacheHit ? 'HIT' : 'miss'}, ` +
      `${result.embedding.chunksEmbedded} chunk(s) embedded`,
  );
  console.log(
    `model: ${result.model.modelId}, ${result.model.calls} call(s), ${result.model.inputTokens} in / ${result.model.outputTokens} out tokens`,
  );
  console.log(
    `timings: ${Object.entries(result.timings)
      .map(([stage, ms]) => `${stage} ${ms}`)
      .join(', ')}`,
  );
  result.cards.forEach((card, i) => {
    const cites = card.citations
      .map((c) => (c.page === null ? c.chunkId : `${c.chunkId}, p.${c.page}`))
      .join('; ');
    console.log(
      `\n${i + 1}. [${card.type}, ${card.difficulty}] ${card.question}\n   -> ${card.answer}\n   (cites ${cites})`,
    );
  });
}

const bytes = new Uint8Array(
  await readFile(values.file).catch(() => fail(`cannot read --file ${values.file}`)),
);
const contentType = values.file.endsWith('.pdf')
  ? 'application/pdf'
  : values.file.endsWith('.md')
    ? 'text/markdown'
    : 'text/plain';
const setup = values.live ? await liveSetup() : await fakeSetup();
console.log(`flashcards-local: ${values.file} (${bytes.byteLength} bytes) with ${setup.describe}`);
try {
  for (let run = 1; run <= runs; run++) {
    const { result, diagnostics } = await runFlashcardPipeline(
      setup.deps,
      { bytes, key: values.file, contentType },
      {
        count,
        difficulty: values.difficulty as CardDifficulty,
        cardTypes: cardTypes as CardType[],
        ...(values.topic ? { topicHint: values.topic } : {}),
      },
    );
    if (values.json) console.log(JSON.stringify({ result, diagnostics }, null, 2));
    else printSummary(result, run);
  }
} catch (error) {
  if (error instanceof PermanentJobError) {
    console.error(`\njob would FAIL with ${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await setup.close();
}
