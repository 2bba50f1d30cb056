import { randomUUID } from 'node:crypto';
import { FlashcardSetResultSchema, type JobMessageOf } from '@bandup/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import type { S3Objects } from '../../src/clients/s3-objects.js';
import { TitanEmbedder } from '../../src/clients/titan-embeddings.js';
import { S3EmbeddingStore } from '../../src/rag/embedding-cache.js';
import { MemoizedEmbedder } from '../../src/rag/memoized-embedder.js';
import { ragConfig } from '../../src/rag/rag-config.js';
import { createSqsJobHandler } from '../../src/runtime/sqs-job-handler.js';
import { createFlashcardsWorker } from '../../src/workers/flashcards.js';
import { FAKE_CREDENTIALS, type FakeBedrock, startFakeBedrock, THROTTLED } from '../fakes/fake-bedrock.js';
import { groundedCardWriter } from '../fakes/fake-card-writer.js';
import { titanInvokeRoute } from '../fakes/fake-embeddings.js';
import { textPdf } from '../rag/support/test-pdfs.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import {
  type JobStoreHarness,
  startJobStoreHarness,
  TEST_DATA_BUCKET,
} from '../support/job-store-harness.js';

const USER = 'learner-7';
const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc';

let harness: JobStoreHarness;
let bedrock: FakeBedrock;
let bedrockClient: BedrockRuntime;

beforeEach(async () => {
  harness = await startJobStoreHarness();
});
afterEach(async () => {
  bedrockClient?.destroy();
  await bedrock?.close();
  await harness.close();
});

async function startBedrock(options: Parameters<typeof startFakeBedrock>[0]) {
  bedrock = await startFakeBedrock(options);
  bedrockClient = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: bedrock.url,
    credentials: FAKE_CREDENTIALS,
  });
}

function handler(overrides: Parameters<typeof ragConfig>[0] = {}, s3: S3Objects = harness.s3Objects) {
  const embedder = new TitanEmbedder({
    client: bedrockClient,
    modelId: 'amazon.titan-embed-text-v2:0',
    dimensions: 256,
  });
  const worker = createFlashcardsWorker({
    s3,
    dataBucket: TEST_DATA_BUCKET,
    pipeline: {
      embedder,
      queryEmbedder: new MemoizedEmbedder(embedder),
      embeddingStore: new S3EmbeddingStore(harness.s3Objects, TEST_DATA_BUCKET),
      chatModel: new BedrockConverseModel(bedrockClient, 'google.gemma-3-12b-it'),
      config: ragConfig({ chunking: { targetChars: 300, overlapChars: 60 }, ...overrides }),
    },
  });
  return createSqsJobHandler({ kind: 'flashcards', worker, store: harness.store });
}

async function submit(
  document: { body: Uint8Array; contentType: string; extension: string } | undefined,
  payload: Partial<JobMessageOf<'flashcards'>['payload']> = {},
): Promise<JobMessageOf<'flashcards'>> {
  const { job } = await harness.store.create({
    userId: USER,
    kind: 'flashcards',
    principal: PRINCIPAL,
    requestHash: 'h',
  });
  const documentKey = `uploads/documents/${USER}/${randomUUID()}.${document?.extension ?? 'pdf'}`;
  if (document) {
    harness.s3.put(TEST_DATA_BUCKET, documentKey, {
      body: Buffer.from(document.body),
      contentType: document.contentType,
    });
  }
  return {
    jobId: job.jobId,
    userId: USER,
    principal: PRINCIPAL,
    submittedAt: new Date().toISOString(),
    kind: 'flashcards',
    payload: {
      userId: USER,
      documentKey,
      count: 4,
      difficulty: 'medium',
      cardTypes: ['definition', 'comprehension'],
      ...payload,
    },
  };
}

const run = (message: JobMessageOf<'flashcards'>) =>
  handler()(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('bandup-test-flashcards'));

const pdfPages = [
  [
    'Photosynthesis is the process by which green plants make glucose from light.',
    'Chlorophyll absorbs red and blue light and reflects green light.',
  ],
  [
    'Evaporation turns liquid water into water vapour when the sun heats the sea.',
    'Condensation forms clouds when water vapour cools high in the atmosphere.',
  ],
];

describe('flashcards worker end to end (SQS event -> dynalite job, fake S3 and Bedrock)', () => {
  it('moves the job to SUCCEEDED with cited cards, token usage and model metadata', async () => {
    await startBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
    const message = await submit({
      body: await textPdf(pdfPages),
      contentType: 'application/pdf',
      extension: 'pdf',
    });

    const response = await run(message);
    expect(response.batchItemFailures).toEqual([]);

    const job = await harness.store.get(message.jobId);
    expect(job?.status).toBe('SUCCEEDED');
    const result = FlashcardSetResultSchema.parse(await harness.store.resultOf(job!));
    expect(result.cards).toHaveLength(4);
    expect(result.cards.every((card) => card.citations.every((c) => c.page === 1 || c.page === 2))).toBe(
      true,
    );
    expect(result.retrieval.queryMode).toBe('fallback');
    expect(job?.model).toMatchObject({ modelId: 'google.gemma-3-12b-it', calls: 1 });
  });

  it('fails the job at once with DOCUMENT_UNREADABLE for a corrupt PDF (no redelivery)', async () => {
    await startBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
    const corrupt = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog garbage');
    const message = await submit({ body: corrupt, contentType: 'application/pdf', extension: 'pdf' });

    const response = await run(message);
    expect(response.batchItemFailures).toEqual([]);
    const job = await harness.store.get(message.jobId);
    expect(job?.status).toBe('FAILED');
    expect(job?.error).toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    expect(bedrock.invokeCalls).toHaveLength(0);
  });

  it('fails with UPLOAD_NOT_FOUND when the document was never uploaded, and UNSUPPORTED_MEDIA on a type mismatch', async () => {
    await startBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
    const missing = await submit(undefined);
    await run(missing);
    expect((await harness.store.get(missing.jobId))?.error).toMatchObject({ code: 'UPLOAD_NOT_FOUND' });

    const mismatched = await submit({
      body: new TextEncoder().encode('# Notes'),
      contentType: 'text/markdown',
      extension: 'pdf',
    });
    await run(mismatched);
    expect((await harness.store.get(mismatched.jobId))?.error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA',
      message: expect.stringContaining('expected ".md"'),
    });
  });

  it('fails with DOCUMENT_TOO_LARGE from the object size, before downloading it', async () => {
    await startBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
    const message = await submit({
      body: await textPdf(pdfPages),
      contentType: 'application/pdf',
      extension: 'pdf',
    });
    await handler({ limits: { maxBytes: 500 } })(
      sqsEvent([sqsRecord(JSON.stringify(message))]),
      lambdaContext('bandup-test-flashcards'),
    );
    expect((await harness.store.get(message.jobId))?.error).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      message: expect.stringContaining('the limit is 500 bytes'),
    });
    expect(harness.s3.requests.filter((request) => request.method === 'GET')).toHaveLength(0);
  });

  it('never reads a document replaced after its checks: redelivered, and the retry checks the new one', async () => {
    await startBedrock({ invoke: titanInvokeRoute(), converse: groundedCardWriter() });
    const markdown = new TextEncoder().encode(pdfPages.flat().join('\n\n'));
    const message = await submit({ body: markdown, contentType: 'text/markdown', extension: 'md' });
    const key = message.payload.documentKey;
    // The learner uploads again under the same key between the worker's HEAD and its GET.
    const racing = Object.create(harness.s3Objects) as S3Objects;
    racing.head = async (bucket, objectKey) => {
      const head = await harness.s3Objects.head(bucket, objectKey);
      harness.s3.put(TEST_DATA_BUCKET, key, { body: Buffer.from('# Replaced\n'), contentType: 'text/plain' });
      return head;
    };

    const response = await handler({}, racing)(
      sqsEvent([sqsRecord(JSON.stringify(message))]),
      lambdaContext('bandup-test-flashcards'),
    );
    expect(response.batchItemFailures).toHaveLength(1);
    const job = await harness.store.get(message.jobId);
    expect(job?.status).toBe('RUNNING');
    expect(JSON.stringify(job)).toContain('changed while it was being checked');
    expect(bedrock.requests).toHaveLength(0);

    // The redelivery sees the replacement: stored as text/plain under a `.md` key.
    await run(message);
    expect((await harness.store.get(message.jobId))?.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA' });
  });

  it('reports the record for redelivery when Bedrock keeps throttling, leaving the job RUNNING', async () => {
    await startBedrock({ invoke: () => THROTTLED, converse: groundedCardWriter() });
    bedrockClient.destroy();
    bedrockClient = createBedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: bedrock.url,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 1,
    });
    const markdown = new TextEncoder().encode(pdfPages.flat().join('\n\n'));
    const message = await submit({ body: markdown, contentType: 'text/markdown', extension: 'md' });

    const response = await run(message);
    expect(response.batchItemFailures).toHaveLength(1);
    const job = await harness.store.get(message.jobId);
    expect(job?.status).toBe('RUNNING');
  });
});
