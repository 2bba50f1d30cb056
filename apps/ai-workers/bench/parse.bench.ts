/**
 * `pnpm bench:parse`: the adversarial document corpus (test/rag/support/adversarial-corpus.ts)
 * through `parseDocument` with the production limits and parse budgets: wall time and peak
 * resident memory per document, each in a fresh process. The budgets promise that no document
 * takes longer than `maxParseMs` or grows memory past `maxParseRssGrowthMb` (+ the process itself).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RAG_CONFIG } from '../src/rag/rag-config.js';
import { adversarialCorpus } from '../test/rag/support/adversarial-corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bandup-parse-bench-'));
const limits = DEFAULT_RAG_CONFIG.limits;
try {
  const corpus = await adversarialCorpus({ bombMb: 256 });
  console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  console.log(
    `parse budgets: ${limits.maxParseMs} ms, heap ${limits.maxParseHeapMb} MB, RSS growth ${limits.maxParseRssGrowthMb} MB, ${limits.maxTextItems} text items`,
  );
  console.log(
    `${'document'.padEnd(66)} ${'KiB'.padStart(7)} ${'ms'.padStart(8)} ${'peak RSS MB'.padStart(12)}  outcome`,
  );
  for (const [index, doc] of corpus.entries()) {
    const file = join(dir, `doc-${index}`);
    writeFileSync(file, doc.bytes);
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(here, 'parse-one.ts'), file, doc.key, doc.contentType],
      { encoding: 'utf8', cwd: join(here, '..') },
    );
    const { ms, maxRssMb, outcome } = JSON.parse(out) as { ms: number; maxRssMb: number; outcome: string };
    const expected = 'parses' in doc.expect ? 'parsed' : doc.expect.code;
    const ok = outcome.startsWith(expected) ? 'ok' : `UNEXPECTED (wanted ${expected})`;
    console.log(
      `${doc.name.slice(0, 66).padEnd(66)} ${(doc.bytes.byteLength / 1024).toFixed(0).padStart(7)} ${ms.toFixed(0).padStart(8)} ${maxRssMb.toFixed(0).padStart(12)}  ${outcome} ${ok}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
