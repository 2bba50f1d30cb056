/**
 * Child process of `parse.bench.ts`: parses one document file with the production limits and
 * prints `{ ms, maxRssMb, outcome }`. A fresh process per document, so the peak resident size
 * (which includes the parsing thread) belongs to that document alone.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from '../src/rag/parse-document.js';
import { DEFAULT_RAG_CONFIG } from '../src/rag/rag-config.js';

const [file, key, contentType] = process.argv.slice(2) as [string, string, string];
const bytes = new Uint8Array(readFileSync(file));
const started = performance.now();
const outcome = await parseDocument({ bytes, key, contentType }, DEFAULT_RAG_CONFIG.limits).then(
  (parsed) => `parsed: ${parsed.pages.length} page(s)`,
  (error: unknown) => (error as { code?: string }).code ?? `error: ${(error as Error).message}`,
);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, outcome }));
// The parsing thread is already terminated; do not wait for stray PDF.js timers.
process.exit(0);
