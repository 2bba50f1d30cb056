/**
 * Plan review benchmark (`pnpm bench`): for each regression fixture (plans of the five prod
 * stacks written by test/review/against-fixtures.test.ts under .tmp/plan-review-fixtures), the
 * wall time of a review: reading the plans and synth metadata, classifying, cost, acknowledgements
 * and rendering Markdown, JSON and text. Median of several in-process runs, plus one cold
 * `plan:review` process per fixture (module loading included, as the pipeline pays it).
 * Target: under 5 s per fixture.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ACKS_FILE } from '../src/review/acknowledgements.js';
import { readRunFromFiles, renderReview, reviewPlans } from '../src/review/review-command.js';
import { DEFAULT_RULES_FILE } from '../src/review/review-rules.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(infraDir, '.tmp/plan-review-fixtures/fixtures');
const RUNS = Number(process.env.BENCH_REVIEW_RUNS ?? 5);
const TARGET_MS = 5000;

if (!existsSync(fixturesDir)) {
  console.log(
    `plan review bench skipped: no fixtures in ${fixturesDir} (run test/review/against-fixtures.test.ts first)`,
  );
  process.exit(0);
}
const rows: string[] = [];
let worst = 0;
for (const name of readdirSync(fixturesDir).sort()) {
  const plansDir = path.join(fixturesDir, name, 'plans');
  const synthDir = path.join(fixturesDir, name, 'synth');
  if (!existsSync(plansDir)) continue;
  const options = {
    format: 'md' as const,
    acksFile: DEFAULT_ACKS_FILE,
    acksExplicit: false,
    synthDir,
    rulesFile: DEFAULT_RULES_FILE,
    commit: name,
    environment: 'prod',
    inputs: [plansDir],
  };
  const samples: number[] = [];
  let verdict = '';
  let stacks = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const review = reviewPlans(options, readRunFromFiles(options));
    for (const format of ['md', 'json', 'text'] as const) renderReview(review, format);
    samples.push(performance.now() - started);
    verdict = review.verdict;
    stacks = review.stacks.length;
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  const started = performance.now();
  const cold = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/plan-review.ts', '--synth-dir', synthDir, '--format', 'json', plansDir],
    { cwd: infraDir, encoding: 'utf8' },
  );
  const coldMs = performance.now() - started;
  worst = Math.max(worst, median, coldMs);
  rows.push(
    `${name.padEnd(42)} ${String(stacks).padStart(6)} ${verdict.padEnd(10)} ${median.toFixed(0).padStart(8)} ms ${coldMs.toFixed(0).padStart(8)} ms  exit ${cold.status}`,
  );
}
console.log(`plan review: median of ${RUNS} in-process reviews, and one cold CLI process, per fixture`);
console.log(`${'fixture'.padEnd(42)} stacks verdict    in-process      cold CLI`);
for (const r of rows) console.log(r);
console.log(
  `slowest: ${worst.toFixed(0)} ms (target < ${TARGET_MS} ms) ${worst < TARGET_MS ? 'OK' : 'OVER TARGET'}`,
);
