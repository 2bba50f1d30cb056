import { readWorkerEnv } from '@bandup/shared';
import { BedrockConverseModel } from '../clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../clients/bedrock-runtime.js';
import { GeminiModel, geminiApiKeyFromSecret } from '../clients/gemini.js';
import { lazy } from '../clients/lazy.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { TitanEmbedder } from '../clients/titan-embeddings.js';
import { S3EmbeddingStore } from '../rag/embedding-cache.js';
import { MemoizedEmbedder } from '../rag/memoized-embedder.js';
import { DEFAULT_RAG_CONFIG } from '../rag/rag-config.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { createFlashcardsWorker } from '../workers/flashcards.js';

/**
 * `flashcards`: SQS -> RAG flashcard generation. Clients, the Gemini key cache and the query
 * embedding cache live at module scope, so a warm container reuses them across jobs. The Secrets
 * Manager client is loaded on first use: the key is read once per container and then every 15 minutes.
 */
const env = readWorkerEnv('flashcards');
const s3 = createS3Objects({ capture: traced });
const bedrock = createBedrockRuntimeClient({ region: env.get('bedrockRegion'), capture: traced });
const secrets = lazy(async () => {
  const { CachedSecretReader, createSecretsManagerClient } = await import('../clients/secrets.js');
  return new CachedSecretReader(createSecretsManagerClient({ capture: traced }));
});
const geminiSecretArn = env.get('geminiSecretArn');

const config = DEFAULT_RAG_CONFIG;
const embedder = new TitanEmbedder({
  client: bedrock,
  modelId: env.get('embeddingModelId'),
  dimensions: Number(env.get('embeddingDimensions')),
  // Unit vectors: cosine similarity is then a dot product, and cached vectors stay comparable.
  normalize: true,
  maxInputChars: config.embedding.maxInputChars,
});

const worker = createFlashcardsWorker({
  s3,
  dataBucket: env.get('dataBucket'),
  pipeline: {
    embedder,
    queryEmbedder: new MemoizedEmbedder(embedder),
    embeddingStore: new S3EmbeddingStore(s3, env.get('dataBucket')),
    chatModel: new BedrockConverseModel(bedrock, env.get('assessmentModelId')),
    queryModel: new GeminiModel({
      modelId: env.get('geminiModelId'),
      apiKey: async () => geminiApiKeyFromSecret(await (await secrets()).getString(geminiSecretArn)),
    }),
    config,
  },
});

export const handler = instrument(
  createSqsJobHandler({ kind: 'flashcards', worker, store: jobStoreFromEnv(env, s3), logger }),
);
