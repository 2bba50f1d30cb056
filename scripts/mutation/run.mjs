#!/usr/bin/env node
// `pnpm test:mutation [module ...] [--concurrency N] [--force]`: runs StrykerJS for each module of
// modules.mjs (all by default), one after another, writes reports/mutation/<module>/{index.html,
// mutation.json} and reports/mutation/summary.md, and exits non-zero when a module scores below its
// threshold or Stryker fails. Incremental: each module's stryker-incremental.json (committed) lets
// Stryker re-test only the mutants whose code or tests changed; --force re-tests everything.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES } from './modules.mjs';
import { mutationScore } from './score.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const configFile = path.join(repoRoot, 'scripts', 'mutation', 'stryker.config.mjs');

function parseArgs(argv) {
  const names = [];
  let concurrency = '2';
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') force = true;
    else if (arg === '--concurrency') concurrency = argv[++i];
    else if (arg.startsWith('--concurrency=')) concurrency = arg.slice('--concurrency='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  if (!/^[1-9]\d*$/.test(String(concurrency))) throw new Error(`--concurrency must be a positive integer`);
  const known = new Set(MUTATION_MODULES.map((m) => m.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(`unknown module(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  const modules =
    names.length > 0 ? MUTATION_MODULES.filter((m) => names.includes(m.name)) : MUTATION_MODULES;
  return { modules, concurrency: String(concurrency), force };
}

/**
 * Stryker runs the tests in a copy of the package, `<package>/.stryker-tmp/sandbox-*`. Code that finds
 * a sibling package by relative path (infra's `../../../ai-workers/dist` from `src/stacks`) looks in
 * `.stryker-tmp` instead, so each sibling is linked there.
 */
function linkSiblings(packageDir, tempDir) {
  mkdirSync(tempDir, { recursive: true });
  const parent = path.dirname(packageDir);
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const link = path.join(tempDir, entry.name);
    if (!entry.isDirectory() || entry.name === path.basename(packageDir) || existsSync(link)) continue;
    symlinkSync(path.join(parent, entry.name), link, 'dir');
  }
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const { modules, concurrency, force } = parseArgs(process.argv.slice(2));

// The packages consume each other (and infra the worker bundles) through their built output.
if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot }) !== 0) {
  process.exit(1);
}

const rows = [];
for (const module of modules) {
  const packageDir = path.join(repoRoot, module.package);
  const tempDir = path.join(packageDir, '.stryker-tmp');
  linkSiblings(packageDir, tempDir);
  const started = Date.now();
  console.log(`\n=== mutation: ${module.name} (${module.package}) ===`);
  const status = run(
    path.join(packageDir, 'node_modules', '.bin', 'stryker'),
    ['run', configFile, '--concurrency', concurrency, ...(force ? ['--force'] : [])],
    {
      cwd: packageDir,
      env: {
        ...process.env,
        BANDUP_MUTATION_MODULE: module.name,
      },
    },
  );
  const minutes = (Date.now() - started) / 60_000;
  // Removes the sibling links (not what they point to) and any sandbox Stryker left behind.
  rmSync(tempDir, { recursive: true, force: true });
  const reportFile = path.join(repoRoot, 'reports', 'mutation', module.name, 'mutation.json');
  const score = existsSync(reportFile)
    ? mutationScore(JSON.parse(readFileSync(reportFile, 'utf8')))
    : undefined;
  const passed = status === 0 && score !== undefined && score.score >= module.threshold;
  rows.push({ module, score, minutes, passed, status });
}

const fmt = (n) => (n === undefined ? 'n/a' : n.toFixed(2));
const lines = [
  '| module | score % | threshold % | killed | timeout | survived | no coverage | ignored | minutes | result |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    ({ module, score, minutes, passed, status }) =>
      `| ${module.name} | ${fmt(score?.score)} | ${module.threshold} | ${score?.killed ?? '-'} | ${score?.timeout ?? '-'} | ${score?.survived ?? '-'} | ${score?.noCoverage ?? '-'} | ${score?.ignored ?? '-'} | ${minutes.toFixed(1)} | ${passed ? 'pass' : `FAIL${status !== 0 ? ` (stryker exit ${status})` : ''}`} |`,
  ),
];
mkdirSync(path.join(repoRoot, 'reports', 'mutation'), { recursive: true });
writeFileSync(path.join(repoRoot, 'reports', 'mutation', 'summary.md'), `${lines.join('\n')}\n`);
console.log(`\n${lines.join('\n')}\n\nreports: reports/mutation/<module>/index.html`);
if (rows.some((r) => !r.passed)) process.exitCode = 1;
