/**
 * Plan review benchmark (`pnpm bench`): for each regression fixture (plans of the five prod
 * stacks written by test/review/against-fixtures.test.ts under .tmp/plan-review-fixtures), the
 * wall time of a review: reading the plans and synth metadata, classifying, cost, acknowledgements
 * and rendering Markdown, JSON and text. Median of several in-process runs, plus one cold
 * `plan:review` process per fixture exactly as `pnpm plan:review` starts it (scripts/plan-review.mjs:
 * module loading included, bundle reused), and once with the bundle rebuilt (first run after a
 * source change). Target: under 5 s per fixture.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ACKS_FILE } from '../src/review/acknowledgements.js';
import { readRunFromFiles, renderReview, reviewPlans } from '../src/review/review-command.js';
import { DEFAULT_RULES_FILE } from '../src/review/review-rules.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir =
  process.env.BENCH_REVIEW_FIXTURES ?? path.join(infraDir, '.tmp/plan-review-fixtures/fixtures');
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
/** One `plan:review` process as the pipeline starts it; wall time in ms and its exit code. */
const coldCli = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['scripts/plan-review.mjs', ...args], {
    cwd: infraDir,
    env,
    encoding: 'utf8',
  });
  return { ms: performance.now() - started, status: r.status };
};
let rebuild: { ms: number; status: number | null } | undefined;
for (const name of readdirSync(fixturesDir).sort()) {
  const plansDir = path.join(fixturesDir, name, 'plans');
  const synthDir = existsSync(path.join(fixturesDir, name, 'synth'))
    ? path.join(fixturesDir, name, 'synth')
    : path.join(fixturesDir, name);
  if (!existsSync(plansDir) || readdirSync(plansDir).length === 0) {
    rows.push(`${name.padEnd(42)} skipped: no plans yet`);
    continue;
  }
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
  const args = ['--synth-dir', synthDir, '--format', 'json', plansDir];
  if (!rebuild) {
    const cache = mkdtempSync(path.join(tmpdir(), 'plan-review-bench-'));
    rebuild = coldCli(args, { ...process.env, PLAN_REVIEW_CLI_CACHE: cache });
    rmSync(cache, { recursive: true, force: true });
  }
  const cold = coldCli(args);
  worst = Math.max(worst, median, cold.ms);
  rows.push(
    `${name.padEnd(42)} ${String(stacks).padStart(6)} ${verdict.padEnd(10)} ${median.toFixed(0).padStart(8)} ms ${cold.ms.toFixed(0).padStart(8)} ms  exit ${cold.status}`,
  );
}
console.log(`plan review: median of ${RUNS} in-process reviews, and one cold CLI process, per fixture`);
console.log(`${'fixture'.padEnd(42)} stacks verdict    in-process      cold CLI`);
for (const r of rows) console.log(r);
if (rebuild)
  console.log(
    `cold CLI with the bundle rebuilt (first run after a source change): ${rebuild.ms.toFixed(0)} ms, exit ${rebuild.status}`,
  );
console.log(
  `slowest: ${worst.toFixed(0)} ms (target < ${TARGET_MS} ms) ${worst < TARGET_MS ? 'OK' : 'OVER TARGET'}`,
);
