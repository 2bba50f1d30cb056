/**
 * Offline synth of the app found under `--source <repository root>` (a git ref exported by
 * `plan:review --against`): loads THAT tree's `buildApp` and configuration, so the baseline is
 * the ref's code, and synthesizes it into `--outdir` with local state under `--state-dir`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    outdir: { type: 'string' },
    'state-dir': { type: 'string' },
    env: { type: 'string' },
  },
});
if (!values.source || !values.outdir || !values['state-dir']) {
  console.error('usage: plan-review-synth --source DIR --outdir DIR --state-dir DIR [--env ENV]');
  process.exit(1);
}
const infra = path.join(path.resolve(values.source), 'apps/infra/src');
const { buildApp } = await import(path.join(infra, 'app.ts'));
const { selectEnvironments } = await import(path.join(infra, 'config/index.ts'));
const { mkdirSync, rmSync } = await import('node:fs');
rmSync(values.outdir, { recursive: true, force: true });
mkdirSync(values.outdir, { recursive: true });
const { app } = buildApp({
  environments: selectEnvironments(values.env),
  mode: { kind: 'offline', stateDir: path.resolve(values['state-dir']) },
  outdir: path.resolve(values.outdir),
});
app.synth();
