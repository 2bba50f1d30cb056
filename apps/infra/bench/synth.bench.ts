/**
 * Synth benchmark (`pnpm bench`): wall time and peak RSS of a full synth of every stack of every
 * environment, each run in a fresh Node process (module loading included, as `cdktf synth` pays
 * it), median over several runs; and the same for merely importing `@cdktf/provider-aws` from its
 * package root, the cost that importing by submodule path avoids. Targets:
 * full synth < 3 s and < 500 MB on the 2-core machine. Runs against `dist/` (turbo builds it first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SYNTH_RUNS = Number(process.env.BENCH_SYNTH_RUNS ?? 5);
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
const TARGET_MS = 3000;
const TARGET_MB = 500;

interface Sample {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

/** Runs an ES module snippet in a fresh Node process; the child reports its own peak RSS. */
function measure(script: string, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const reporter = `;process.on('exit',()=>process.stderr.write('\\nBENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'));`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--input-type=module', '-e', reporter + script], {
      cwd: infraDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const kb = /BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1];
      if (code !== 0 || !kb) reject(new Error(`benchmark child failed (exit ${code}):\n${stderr}`));
      else resolve({ wallMs, peakRssMb: Number(kb) / 1024 });
    });
  });
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function series(label: string, runs: number, run: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await run());
    process.stderr.write(`  ${label} run ${i + 1}/${runs}: ${samples.at(-1)?.wallMs.toFixed(0)} ms\n`);
  }
  return { wallMs: median(samples.map((s) => s.wallMs)), peakRssMb: median(samples.map((s) => s.peakRssMb)) };
}

if (!existsSync(path.join(infraDir, 'dist', 'app.js'))) {
  console.error('dist/ is missing: run `pnpm --filter @bandup/infra build` (turbo does it before `bench`).');
  process.exit(2);
}

const synthScript = `
import { buildApp } from './dist/app.js';
import { selectEnvironments } from './dist/config/index.js';
const { app } = buildApp({ environments: selectEnvironments(undefined), outdir: process.env.BENCH_OUTDIR });
app.synth();
`;
const synth = await series('full synth', SYNTH_RUNS, async () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-bench-synth-'));
  try {
    return await measure(synthScript, { BENCH_OUTDIR: outdir });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
const rootImport = await series('provider root import', IMPORT_RUNS, () =>
  measure(
    `import { createRequire } from 'node:module'; createRequire(import.meta.url)('@cdktf/provider-aws');`,
  ),
);

const row = (name: string, s: Sample) =>
  `${name.padEnd(42)} ${s.wallMs.toFixed(0).padStart(8)} ms ${s.peakRssMb.toFixed(0).padStart(8)} MB`;
console.log(`\nInfra synth benchmark (median of ${SYNTH_RUNS} / ${IMPORT_RUNS} runs, fresh process each)`);
console.log(`${''.padEnd(42)} ${'wall'.padStart(11)} ${'peak RSS'.padStart(11)}`);
console.log(row('full synth (all stacks, all environments)', synth));
console.log(row('import @cdktf/provider-aws (package root)', rootImport));
console.log(
  `${'ratio synth / root import'.padEnd(42)} ${(synth.wallMs / rootImport.wallMs).toFixed(2).padStart(11)}x ${(synth.peakRssMb / rootImport.peakRssMb).toFixed(2).padStart(10)}x`,
);
const ok = synth.wallMs < TARGET_MS && synth.peakRssMb < TARGET_MB;
console.log(`target full synth < ${TARGET_MS} ms and < ${TARGET_MB} MB: ${ok ? 'met' : 'MISSED'}`);
