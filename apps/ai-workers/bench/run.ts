/**
 * `pnpm bench`: every Lambda bundle in `dist/` (run `pnpm build` first).
 *
 * 1. Size: the entry file, and what a cold start loads (entry + statically imported chunks).
 * 2. Cold init, measured the way Lambda pays it: a fresh `node` process imports the bundle (parse,
 *    evaluate, create clients, read env: module evaluation plus handler construction) with the
 *    function's environment set; Node's own start-up is excluded. Median of RUNS processes per
 *    function, next to an empty module measured in the same rounds (rounds interleave the functions,
 *    so load changes hit every column alike): the ratio is the part of the number that is ours.
 * 3. Warm handler latency of the API functions on the request path (submit, status): one process
 *    imports the bundle and answers WARM_CALLS API Gateway events against the local fakes (dynalite,
 *    fake SQS and S3 on loopback), after WARM_UP calls; the first call (what a cold start's request
 *    waits for after init) is printed beside it.
 *
 * Options (flags, or the variables in brackets):
 *   --runs N            fresh processes per function, odd (BENCH_RUNS, default 9)
 *   --only a,b          only these functions (BENCH_ONLY)
 *   --init-only         size and cold init only: no warm latency, no RAG bench (BENCH_INIT_ONLY=1)
 *   BENCH_SKIP_RAG=1    no RAG bench; BENCH_DIST_DIR=<dir> measures another build's dist/
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ENV_VARS, FUNCTION_NAMES, type FunctionName } from '@bandup/shared';
import { bundleSizes, ENTRY_BUDGET_BYTES } from '../scripts/bundle-sizes.js';
import { startFakeS3 } from '../test/fakes/fake-s3.js';
import { LAMBDA_CATALOGUE_ENV } from '../test/support/catalogue-env.js';
import { createJobsTable, createSubmissionCountersTable, startDynalite } from '../test/support/dynalite.js';
import { apiEvent, lambdaContext } from '../test/support/events.js';
import { startFakeSqs } from '../test/support/fake-sqs.js';
import { runRagBench } from './rag.bench.js';

/** `--name value` (or `--name=value`) from the command line, else the environment variable. */
function option(name: string, variable: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index === -1) return process.env[variable];
  const arg = args[index]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[index + 1] ?? '');
}
const flag = (name: string, variable: string) =>
  process.argv.slice(2).includes(`--${name}`) || process.env[variable] === '1';

/** Fresh processes per function (odd, so the median is a sample). */
const RUNS = Number(option('runs', 'BENCH_RUNS') ?? 9);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`--runs / BENCH_RUNS must be a positive integer, got ${RUNS}`);
const INIT_ONLY = flag('init-only', 'BENCH_INIT_ONLY');
const ONLY = option('only', 'BENCH_ONLY')
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknownOnly = (ONLY ?? []).filter((name) => !(FUNCTION_NAMES as readonly string[]).includes(name));
if (unknownOnly.length > 0) {
  throw new Error(
    `--only / BENCH_ONLY: no such function ${unknownOnly.join(', ')} (known: ${FUNCTION_NAMES.join(', ')})`,
  );
}
const WARM_UP = 5;
const WARM_CALLS = 50;
const INIT_TARGET_MS = 80;
/** The functions on the user's request path, behind API Gateway. */
const API_FUNCTIONS: readonly FunctionName[] = ['submit', 'status', 'upload'];
const API_INIT_TARGET_MS = 70;

/** `BENCH_DIST_DIR` measures another build's `dist/` (e.g. one of main) with the same bench. */
const distDir = process.env.BENCH_DIST_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const run = promisify(execFile);

const lambdaEnv: Record<string, string> = { PATH: process.env.PATH ?? '', ...LAMBDA_CATALOGUE_ENV };

// Wall time is what a cold start costs; CPU time (all threads of the process) is printed beside it
// because on a shared, loaded machine wall time mostly measures waiting for a core.
const initProbe = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(process.argv[1]);
const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));`;

function initSample(module: string): [wallMs: number, cpuMs: number] {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', initProbe, pathToFileURL(module).href],
    { env: lambdaEnv, encoding: 'utf8' },
  );
  return JSON.parse(out) as [number, number];
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const mark = (ok: boolean) => (ok ? 'ok' : 'OVER');
const load = () => loadavg()[0]!.toFixed(2);

const wanted = FUNCTION_NAMES.filter((name) => ONLY === undefined || ONLY.includes(name));
const built = wanted.filter((name) => existsSync(join(distDir, name, 'index.mjs')));
const missing = wanted.filter((name) => !built.includes(name));

const scratch = mkdtempSync(join(tmpdir(), 'bandup-bench-'));
const emptyModule = join(scratch, 'empty.mjs');
writeFileSync(emptyModule, 'export {};\n');

console.log(
  `node ${process.version}, ${cpus().length} cores, load average ${load()} at start (init times scale with load); bundles: ${distDir}`,
);

// Cold init, in interleaved rounds; one unmeasured import each first warms the file-system cache,
// as Lambda's image is.
const modules = [emptyModule, ...built.map((name) => join(distDir, name, 'index.mjs'))];
for (const module of modules) initSample(module);
const samples = new Map(modules.map((module) => [module, [] as [number, number][]]));
for (let round = 0; round < RUNS; round++) {
  for (const module of modules) samples.get(module)!.push(initSample(module));
}
const emptyMs = median(samples.get(emptyModule)!.map(([wall]) => wall));

console.log(
  `\nCold init: median of ${RUNS} fresh processes; "x empty" = init / empty module (${emptyMs.toFixed(1)} ms this run).`,
);
console.log(
  `Targets: entry <= ${kib(ENTRY_BUDGET_BYTES)} KiB; init <= ${INIT_TARGET_MS} ms (${API_FUNCTIONS.join('/')} <= ${API_INIT_TARGET_MS} ms).`,
);
console.log(
  `${'function'.padEnd(18)} ${'entry KiB'.padStart(9)}      ${'loaded KiB'.padStart(10)} ${'pkg KiB'.padStart(8)} ${'init ms'.padStart(8)}      ${'x empty'.padStart(7)} ${'cpu ms'.padStart(7)}`,
);
for (const name of built) {
  const module = join(distDir, name, 'index.mjs');
  const sizes = bundleSizes(join(distDir, name));
  const ms = median(samples.get(module)!.map(([wall]) => wall));
  const cpuMs = median(samples.get(module)!.map(([, cpu]) => cpu));
  const target = API_FUNCTIONS.includes(name) ? API_INIT_TARGET_MS : INIT_TARGET_MS;
  console.log(
    [
      name.padEnd(18),
      `${kib(sizes.entryBytes).padStart(9)} ${mark(sizes.entryBytes <= ENTRY_BUDGET_BYTES).padEnd(4)}`,
      kib(sizes.loadedBytes).padStart(10),
      kib(sizes.packageBytes).padStart(8),
      `${ms.toFixed(1).padStart(8)} ${mark(ms <= target).padEnd(4)}`,
      `${(ms / emptyMs).toFixed(1)}x`.padStart(7),
      cpuMs.toFixed(1).padStart(7),
    ].join(' '),
  );
}
if (missing.length > 0) console.log(`not built (run pnpm build): ${missing.join(', ')}`);
console.log(`load average ${load()} after the cold-init rounds`);

// Warm latency of submit and status against the local fakes.
const warmProbe = `const { handler } = await import(process.argv[1]);
const { readFileSync } = await import('node:fs');
const events = JSON.parse(readFileSync(process.argv[2], 'utf8')); const context = JSON.parse(process.argv[3]);
context.getRemainingTimeInMillis = () => 10000;
const times = [];
for (let i = 0; i < events.length; i++) {
  const t0 = performance.now(); const answer = await handler(events[i], context); const ms = performance.now() - t0;
  if (answer.statusCode >= 300) throw new Error('call ' + i + ' answered ' + answer.statusCode + ': ' + answer.body);
  times.push(ms);
}
process.stdout.write('\\n' + JSON.stringify(times));`;

async function warmLatency(name: FunctionName, events: unknown[], env: Record<string, string>) {
  const eventsFile = join(scratch, `${name}-events.json`);
  writeFileSync(eventsFile, JSON.stringify(events));
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      warmProbe,
      pathToFileURL(join(distDir, name, 'index.mjs')).href,
      eventsFile,
      JSON.stringify(lambdaContext(`bandup-dev-${name}`)),
    ],
    { env, maxBuffer: 64 * 1024 * 1024 },
  );
  const times = JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as number[];
  return { first: times[0]!, warm: times.slice(WARM_UP) };
}

if (!INIT_ONLY && built.includes('submit') && built.includes('status')) {
  const dynamo = await startDynalite();
  const sqs = await startFakeSqs();
  const s3 = await startFakeS3();
  try {
    const table = await createJobsTable(dynamo.client, 'bench-jobs');
    const countersTable = await createSubmissionCountersTable(dynamo.client, 'bench-counters');
    const env = {
      ...lambdaEnv,
      [ENV_VARS.submissionCountersTable]: countersTable,
      [ENV_VARS.jobsTable]: table.tableName,
      [ENV_VARS.jobsByUserIndex]: table.byUserIndexName,
      [ENV_VARS.writingQueueUrl]: `${sqs.url}/123456789012/bandup-dev-writing`,
      [ENV_VARS.speakingQueueUrl]: `${sqs.url}/123456789012/bandup-dev-speaking`,
      [ENV_VARS.flashcardsQueueUrl]: `${sqs.url}/123456789012/bandup-dev-flashcards`,
      // Structured logs are part of a call's cost; they go to the probe's stdout, as in Lambda.
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_S3_FORCE_PATH_STYLE: 'true',
    };
    const calls = WARM_UP + WARM_CALLS;
    const essay = `${'Public transport should be free for everyone in large cities. '.repeat(20)}`;
    const submitEvents = Array.from({ length: calls }, (_, i) =>
      apiEvent({
        resource: '/v1/writing/assessments',
        body: {
          userId: `bench-user-${i}`,
          taskType: 'task2',
          prompt: 'Some people think public transport should be free. Discuss.',
          essay,
        },
      }),
    );
    const submit = await warmLatency('submit', submitEvents, env);
    const job = JSON.parse(sqs.sent[0]!.body) as { jobId: string; userId: string };
    const statusEvents = Array.from({ length: calls }, () =>
      apiEvent({
        method: 'GET',
        resource: '/v1/jobs/{jobId}',
        path: `/v1/jobs/${job.jobId}`,
        pathParameters: { jobId: job.jobId },
        query: { userId: job.userId },
      }),
    );
    const status = await warmLatency('status', statusEvents, env);
    console.log(
      `\nWarm handler latency against local fakes (dynalite, fake SQS/S3 on loopback), ${WARM_CALLS} calls after ${WARM_UP} warm-up:`,
    );
    console.log(
      `${'function'.padEnd(18)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(8)} ${'1st call ms'.padStart(11)}  call`,
    );
    for (const [name, { first, warm: times }, call] of [
      ['submit', submit, 'POST /v1/writing/assessments: validate, PutItem, SendMessage'],
      ['status', status, 'GET /v1/jobs/{jobId}: GetItem, validate'],
    ] as const) {
      console.log(
        `${name.padEnd(18)} ${median(times).toFixed(2).padStart(9)} ${percentile(times, 0.95).toFixed(2).padStart(8)} ${first.toFixed(2).padStart(11)}  ${call}`,
      );
    }
  } finally {
    await s3.close();
    await sqs.close();
    await dynamo.close();
  }
}

rmSync(scratch, { recursive: true, force: true });

// RAG: retrieval + MMR over 5,000 x 1,024 and embedding throughput vs concurrency (bench/rag.bench.ts).
console.log('');
if (!INIT_ONLY && !process.env.BENCH_SKIP_RAG) await runRagBench();
