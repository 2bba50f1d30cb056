import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_SCRIPT } from '../src/stacks/cicd/buildspecs/apply.js';
import { IMAGES_BUILD, IMAGES_PRE_BUILD } from '../src/stacks/cicd/buildspecs/images.js';
import { PLAN_SCRIPT } from '../src/stacks/cicd/buildspecs/plan.js';
import { INSTALL_TERRAFORM } from '../src/stacks/cicd/buildspecs/terraform-install.js';

/*
 * The buildspec scripts run for real under bash, in a workspace shaped like the CodeBuild source
 * (cdktf.out/stacks/<id>/cdk.tf.json), with `terraform` and `pnpm` replaced by recording fakes:
 * what is planned, what is applied, and what is refused.
 */

/** Fake terraform: logs each call; `plan` exits with the code in <stack dir>/plan-exit and writes tfplan. */
const FAKE_TERRAFORM = `#!/usr/bin/env bash
dir="\${1#-chdir=}"
shift
echo "$(basename "$dir") $*" >> "$WORK/terraform.log"
case "$1" in
  plan)
    code=$(cat "$dir/plan-exit")
    [ "$code" = 1 ] && exit 1
    echo plan > "$dir/tfplan"
    exit "$code" ;;
  show)
    echo "Plan: 1 to add, 0 to change, 1 to destroy."
    echo "  # aws_s3_bucket.old will be destroyed" ;;
esac
exit 0
`;

function workspace(stacks: Record<string, 0 | 1 | 2>): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bandup-buildspec-'));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'terraform'), FAKE_TERRAFORM);
  writeFileSync(path.join(bin, 'pnpm'), '#!/usr/bin/env bash\necho "pnpm $*" >> "$WORK/pnpm.log"\n');
  for (const f of ['terraform', 'pnpm']) chmodSync(path.join(bin, f), 0o755);
  for (const [stack, code] of Object.entries(stacks)) {
    const stackDir = path.join(dir, 'cdktf.out', 'stacks', stack);
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(path.join(stackDir, 'cdk.tf.json'), '{}');
    writeFileSync(path.join(stackDir, 'plan-exit'), String(code));
  }
  return { dir, env: { ...process.env, WORK: dir, PATH: `${bin}:${process.env.PATH}`, BANDUP_ENV: 'dev' } };
}

function run(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8' });
}

const log = (dir: string) =>
  existsSync(path.join(dir, 'terraform.log'))
    ? readFileSync(path.join(dir, 'terraform.log'), 'utf8').trim().split('\n')
    : [];

describe('buildspec scripts', () => {
  it('are valid bash', () => {
    for (const script of [INSTALL_TERRAFORM, PLAN_SCRIPT, APPLY_SCRIPT, IMAGES_PRE_BUILD, IMAGES_BUILD]) {
      const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('plan saves a plan per changed stack, in order, and summarises deletions for the approver', () => {
    const { dir, env } = workspace({ 'bandup-dev-network': 0, 'bandup-dev-data': 2, 'bandup-dev-app': 2 });
    const r = run(PLAN_SCRIPT, dir, { ...env, STACKS: 'bandup-dev-network bandup-dev-data,bandup-dev-app' });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(dir, 'pnpm.log'), 'utf8')).toBe('pnpm synth\n');
    expect(readFileSync(path.join(dir, 'plans/stacks.txt'), 'utf8')).toBe(
      'bandup-dev-network\nbandup-dev-data\nbandup-dev-app\n',
    );
    expect(readFileSync(path.join(dir, 'plans/changed-stacks.txt'), 'utf8')).toBe(
      'bandup-dev-data\nbandup-dev-app\n',
    );
    const plans = log(dir).filter((l) => / plan /.test(` ${l.split(' ')[1]} `));
    expect(plans.map((l) => l.split(' ')[0])).toEqual([
      'bandup-dev-network',
      'bandup-dev-data',
      'bandup-dev-app',
    ]);
    for (const l of plans) expect(l).toMatch(/-out=tfplan/);
    // No saved plan is left for a stack without changes: apply could not pick up a stale one.
    expect(existsSync(path.join(dir, 'cdktf.out/stacks/bandup-dev-network/tfplan'))).toBe(false);
    const summary = readFileSync(path.join(dir, 'plans/summary.txt'), 'utf8');
    expect(summary).toMatch(/bandup-dev-network: no changes/);
    expect(summary).toMatch(/bandup-dev-data: Plan: 1 to add, 0 to change, 1 to destroy\./);
    expect(summary).toMatch(/aws_s3_bucket\.old will be destroyed/);
  });

  it('plan fails when a stack fails to plan, or is not a stack of this environment', () => {
    const failing = workspace({ 'bandup-dev-network': 2, 'bandup-dev-data': 1 });
    const r = run(PLAN_SCRIPT, failing.dir, { ...failing.env, STACKS: 'bandup-dev-network bandup-dev-data' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/terraform plan of bandup-dev-data failed/);

    const other = workspace({ 'bandup-prod-data': 2 });
    const refused = run(PLAN_SCRIPT, other.dir, { ...other.env, STACKS: 'bandup-prod-data' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/bandup-prod-data is not a stack of environment dev/);
    expect(log(other.dir)).toEqual([]);
  });

  it('apply applies exactly the saved plans of the changed stacks, with the planned provider lock', () => {
    const { dir, env } = workspace({ 'bandup-dev-network': 0, 'bandup-dev-data': 2, 'bandup-dev-app': 2 });
    expect(
      run(PLAN_SCRIPT, dir, { ...env, STACKS: 'bandup-dev-network bandup-dev-data bandup-dev-app' }).status,
    ).toBe(0);
    writeFileSync(path.join(dir, 'terraform.log'), '');
    const r = run(APPLY_SCRIPT, dir, env);
    expect(r.status).toBe(0);
    expect(log(dir)).toEqual([
      'bandup-dev-data init -input=false -no-color -lockfile=readonly',
      'bandup-dev-data apply -input=false -no-color -lock-timeout=5m tfplan',
      'bandup-dev-app init -input=false -no-color -lockfile=readonly',
      'bandup-dev-app apply -input=false -no-color -lock-timeout=5m tfplan',
    ]);
  });

  it('apply refuses a changed stack without its saved plan, and does nothing when nothing changed', () => {
    const { dir, env } = workspace({ 'bandup-dev-data': 2 });
    mkdirSync(path.join(dir, 'plans'));
    writeFileSync(path.join(dir, 'plans/changed-stacks.txt'), 'bandup-dev-data\n');
    const r = run(APPLY_SCRIPT, dir, env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no saved plan for bandup-dev-data/);
    expect(log(dir)).toEqual([]);

    writeFileSync(path.join(dir, 'plans/changed-stacks.txt'), '');
    const none = run(APPLY_SCRIPT, dir, env);
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/nothing to apply/);
  });

  it('image build refuses a tag that is not a full commit SHA', () => {
    const r = run(IMAGES_PRE_BUILD, tmpdir(), { ...process.env, IMAGE_TAG: 'latest' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/IMAGE_TAG must be a full commit SHA, got 'latest'/);
  });
});
