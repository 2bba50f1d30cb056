/**
 * `pnpm bench`: size and cold module-initialisation time of every Lambda bundle in `dist/`.
 *
 * Init time is measured the way Lambda pays it on a cold start: a fresh `node` process imports the
 * bundle (parse, evaluate, create clients, read env), with the function's environment set. The
 * number is the median of RUNS processes; Node's own start-up is excluded. Run `pnpm build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENV_VARS, FUNCTION_NAMES, type FunctionName } from '@bandup/shared';
import { runRagBench } from './rag.bench.js';

const RUNS = 7;
const TARGET_BYTES = 1024 * 1024;
const TARGET_INIT_MS = 150;

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Every catalogue variable set to a plausible value (no AWS call happens at import time). */
const lambdaEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-not-real',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: 'bandup-dev-bench',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  [ENV_VARS.environment]: 'dev',
  [ENV_VARS.jobsTable]: 'bandup-dev-jobs',
  [ENV_VARS.jobsByUserIndex]: 'by-user',
  [ENV_VARS.dataBucket]: 'bandup-dev-ai-data',
  [ENV_VARS.writingQueueUrl]: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-writing',
  [ENV_VARS.speakingQueueUrl]: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-speaking',
  [ENV_VARS.flashcardsQueueUrl]:
    'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-flashcards',
  [ENV_VARS.bedrockRegion]: 'us-east-1',
  [ENV_VARS.assessmentModelId]: 'google.gemma-3-12b-it',
  [ENV_VARS.embeddingModelId]: 'amazon.titan-embed-text-v2:0',
  [ENV_VARS.embeddingDimensions]: '1024',
  [ENV_VARS.geminiSecretArn]:
    'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:bandup-dev-gemini-AbCdEf',
  [ENV_VARS.geminiModelId]: 'gemini-2.0-flash',
  [ENV_VARS.transcribeOutputKmsKeyId]:
    'arn:aws:kms:ap-southeast-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  [ENV_VARS.powertoolsServiceName]: 'bandup-ai',
  [ENV_VARS.powertoolsMetricsNamespace]: 'Bandup/AI',
  [ENV_VARS.logLevel]: 'INFO',
};

// Wall time is what a cold start costs; CPU time (all threads of the process) is printed beside it
// because on a shared, loaded machine wall time mostly measures waiting for a core.
const probe = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(process.argv[1]);
const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));`;

function initMs(bundle: string): [wallMs: number, cpuMs: number] {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', probe, pathToFileURL(bundle).href],
    {
      env: lambdaEnv,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as [number, number];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Entry plus lazily loaded chunks: what the function's deployment package holds (source maps aside). */
function packageBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mjs'))
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

interface Row {
  readonly name: FunctionName;
  /** The entry file: what a cold start loads. */
  readonly bytes: number;
  readonly packageBytes: number;
  readonly ms: number;
  readonly cpuMs: number;
}

const rows: Row[] = [];
const missing: string[] = [];
for (const name of FUNCTION_NAMES) {
  const bundle = join(distDir, name, 'index.mjs');
  if (!existsSync(bundle)) {
    missing.push(name);
    continue;
  }
  initMs(bundle); // warm the file-system cache, as Lambda's image is
  const samples = Array.from({ length: RUNS }, () => initMs(bundle));
  rows.push({
    name,
    bytes: statSync(bundle).size,
    packageBytes: packageBytes(join(distDir, name)),
    ms: median(samples.map(([wall]) => wall)),
    cpuMs: median(samples.map(([, cpu]) => cpu)),
  });
}

const mark = (ok: boolean) => (ok ? 'ok' : 'OVER');
// Init time is CPU-bound (V8 compiles the whole module): on a shared machine read it against the load.
const [load1] = loadavg();
console.log(
  `machine: ${cpus().length} cores, load average ${load1?.toFixed(2)} (init times scale with load)`,
);
console.log(
  `Lambda bundles: entry size (target <= 1 MiB), package size with lazy chunks, and cold init, median of ${RUNS} fresh processes (target <= ${TARGET_INIT_MS} ms)`,
);
console.log(
  `${'function'.padEnd(18)} ${'entry KiB'.padStart(9)}      ${'pkg KiB'.padStart(8)} ${'init ms'.padStart(8)}      ${'cpu ms'.padStart(8)}`,
);
for (const { name, bytes, packageBytes: pkg, ms, cpuMs } of rows) {
  const size = `${(bytes / 1024).toFixed(1).padStart(9)} ${mark(bytes <= TARGET_BYTES).padEnd(4)}`;
  const init = `${ms.toFixed(1).padStart(8)} ${mark(ms <= TARGET_INIT_MS).padEnd(4)}`;
  console.log(
    `${name.padEnd(18)} ${size} ${(pkg / 1024).toFixed(1).padStart(8)} ${init} ${cpuMs.toFixed(1).padStart(8)}`,
  );
}
if (missing.length > 0) console.log(`not built (run pnpm build): ${missing.join(', ')}`);

// RAG: retrieval + MMR over 5,000 x 1,024 and embedding throughput vs concurrency (bench/rag.bench.ts).
console.log('');
if (!process.env.BENCH_SKIP_RAG) await runRagBench();
