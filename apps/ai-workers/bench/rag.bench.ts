import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createBedrockRuntimeClient } from '../src/clients/bedrock-runtime.js';
import { TitanEmbedder } from '../src/clients/titan-embeddings.js';
import type { Chunk } from '../src/rag/chunk.js';
import { embedTexts } from '../src/rag/embed-chunks.js';
import { DEFAULT_RAG_CONFIG } from '../src/rag/rag-config.js';
import { retrieve } from '../src/rag/retrieve.js';
import { VectorIndex } from '../src/rag/vector-index.js';
import { FAKE_CREDENTIALS, startFakeBedrock } from '../test/fakes/fake-bedrock.js';
import { titanInvokeRoute } from '../test/fakes/fake-embeddings.js';

/**
 * RAG benchmarks, with their targets:
 * 1. retrieval + MMR over 5,000 chunks x 1,024 dimensions: target under 50 ms (median of runs);
 * 2. embedding throughput through the real Bedrock Runtime client against a fake Titan with a fixed
 *    latency, sequential vs bounded concurrency: target close to `concurrency` x the sequential rate.
 */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly ok?: boolean;
}

const CHUNKS = 5_000;
const DIMENSIONS = 1_024;
const QUERIES = 6;
const RUNS = 21;

/** Deterministic PRNG (mulberry32) so every run scans the same matrix. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVectors(count: number, dimensions: number, next: () => number): Float32Array[] {
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, () => next() * 2 - 1));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchRetrieval(): Promise<BenchLine[]> {
  const next = random(42);
  const index = VectorIndex.fromVectors(randomVectors(CHUNKS, DIMENSIONS, next), DIMENSIONS);
  const chunks: Chunk[] = Array.from({ length: CHUNKS }, (_, i) => ({
    id: `p${Math.floor(i / 10) + 1}-c${i + 1}`,
    pageNumber: Math.floor(i / 10) + 1,
    startOffset: 0,
    endOffset: 0,
    text: '',
  }));
  const queries = Array.from({ length: QUERIES }, (_, i) => `query ${i}`);
  const queryVectors = randomVectors(QUERIES, DIMENSIONS, next);
  const config = DEFAULT_RAG_CONFIG.retrieval;

  const times: number[] = [];
  for (let run = 0; run < RUNS + 3; run++) {
    const started = performance.now();
    const result = retrieve({ index, chunks, queries, queryVectors, count: config.maxContextChunks, config });
    const ms = performance.now() - started;
    if (result.picked.length !== config.maxContextChunks)
      throw new Error('retrieval returned too few chunks');
    if (run >= 3) times.push(ms); // the first runs warm up the JIT
  }
  const med = median(times);
  return [
    {
      name: `retrieval+MMR ${CHUNKS}x${DIMENSIONS}, ${QUERIES} queries, top-${config.maxContextChunks} (median of ${RUNS})`,
      value: round(med),
      unit: 'ms',
      target: '< 50 ms',
      ok: med < 50,
    },
    { name: 'retrieval+MMR fastest run', value: round(Math.min(...times)), unit: 'ms' },
  ];
}

export async function benchEmbeddingThroughput(): Promise<BenchLine[]> {
  // About Titan V2's real latency for a chunk; long enough that client CPU (signing, JSON) is not
  // what is measured on a loaded 2-core machine.
  const LATENCY_MS = 50;
  const TEXTS = 64;
  const CONCURRENCY = DEFAULT_RAG_CONFIG.embedding.concurrency;
  const fake = await startFakeBedrock({ invoke: titanInvokeRoute({ delayMs: LATENCY_MS }) });
  const client = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: FAKE_CREDENTIALS,
  });
  try {
    const embedder = new TitanEmbedder({ client, modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024 });
    const texts = Array.from(
      { length: TEXTS },
      (_, i) => `Chunk ${i} about photosynthesis, tectonics and revolutions.`,
    );
    await embedTexts(embedder, texts.slice(0, 8), CONCURRENCY); // warm the connection pool and the JIT

    const rate = async (concurrency: number) => {
      const started = performance.now();
      await embedTexts(embedder, texts, concurrency);
      return TEXTS / ((performance.now() - started) / 1000);
    };
    const sequential = await rate(1);
    const concurrent = await rate(CONCURRENCY);
    const speedup = concurrent / sequential;
    return [
      {
        name: `embedding, sequential (fake Titan, ${LATENCY_MS} ms latency)`,
        value: round(sequential),
        unit: 'texts/s',
      },
      { name: `embedding, concurrency ${CONCURRENCY}`, value: round(concurrent), unit: 'texts/s' },
      {
        name: `embedding speed-up at concurrency ${CONCURRENCY}`,
        value: round(speedup),
        unit: 'x',
        target: `near ${CONCURRENCY}x (>= ${0.75 * CONCURRENCY}x)`,
        ok: speedup >= 0.75 * CONCURRENCY,
      },
    ];
  } finally {
    client.destroy();
    await fake.close();
  }
}

export async function runRagBench(): Promise<BenchLine[]> {
  // Both numbers are CPU-sensitive: read them against the machine's load.
  console.log(`rag: machine ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  const lines = [...(await benchRetrieval()), ...(await benchEmbeddingThroughput())];
  for (const line of lines) {
    const verdict = line.ok === undefined ? '' : line.ok ? '  ok' : '  MISSED';
    const target = line.target ? `  (target ${line.target})` : '';
    console.log(`rag: ${line.name}: ${line.value} ${line.unit}${target}${verdict}`);
  }
  return lines;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// Run directly: `node --import tsx bench/rag.bench.ts`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = await runRagBench();
  if (lines.some((line) => line.ok === false)) process.exitCode = 1;
}
