import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { exportGitRef, resolveCommit } from './git-ref-source.js';
import { convergeBaseline, planChanges } from './plan-against.js';
import type { ReviewRun } from './review-command.js';
import { readStackInputs } from './review-inputs.js';
import { keepInitialization, readSynthesizedApp } from './stack-workspace.js';
import { readSynthIndex } from './synth-index.js';
import { pluginMirrorDir, prepareTerraformCli, terraformUnavailableReason } from './terraform-cli.js';

export interface AgainstOptions {
  readonly repoRoot: string;
  readonly ref: string;
  /** `BANDUP_ENV`-style selection (`prod`, `dev,prod`); all environments when absent. */
  readonly environment?: string;
  readonly log: (line: string) => void;
}

/**
 * `plan:review --against <ref>`: synthesizes the ref and the working tree offline into one state
 * directory, converges the ref's state (reused while the ref's configuration is unchanged), plans
 * the working tree against it, and returns the review inputs. Work in
 * `apps/infra/.tmp/plan-review-against/<commit>/`.
 */
export async function prepareAgainst(options: AgainstOptions): Promise<ReviewRun> {
  const mirrorDir = pluginMirrorDir();
  const unavailable = terraformUnavailableReason(mirrorDir);
  if (unavailable) throw new Error(`--against needs Terraform: ${unavailable}`);
  const commit = resolveCommit(options.repoRoot, options.ref);
  const infraDir = path.join(options.repoRoot, 'apps/infra');
  const workDir = path.join(
    infraDir,
    '.tmp/plan-review-against',
    `${commit.slice(0, 12)}-${options.environment ?? 'all'}`,
  );
  const stateDir = path.join(workDir, 'state');
  options.log(`exporting ${options.ref} (${commit.slice(0, 12)})`);
  exportGitRef(options.repoRoot, commit, path.join(workDir, 'source'));
  const synth = (source: string, outdir: string) => {
    const args = [
      '--import',
      'tsx',
      path.join(infraDir, 'scripts/plan-review-synth.ts'),
      '--source',
      source,
      '--outdir',
      outdir,
      '--state-dir',
      stateDir,
    ];
    if (options.environment) args.push('--env', options.environment);
    const r = spawnSync(process.execPath, args, { cwd: infraDir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`synth of ${source} failed:\n${r.stderr || r.stdout}`);
  };
  options.log('synthesizing the ref and the working tree (offline mode)');
  for (const [source, outdir] of [
    [path.join(workDir, 'source'), path.join(workDir, 'baseline')],
    [options.repoRoot, path.join(workDir, 'changed')],
  ] as const)
    keepInitialization(outdir, () => synth(source, outdir));
  const baseline = readSynthesizedApp(path.join(workDir, 'baseline'));
  const changed = readSynthesizedApp(path.join(workDir, 'changed'));
  const cli = prepareTerraformCli(workDir, mirrorDir);
  const converged = await convergeBaseline({ baseline, cli, workDir, log: options.log });
  const plansDir = path.join(workDir, 'plans');
  await planChanges(baseline, converged, changed, cli, plansDir, options.log);
  return {
    inputs: readStackInputs([plansDir]),
    synth: readSynthIndex(changed.outdir),
    previousSynth: readSynthIndex(baseline.outdir),
  };
}
