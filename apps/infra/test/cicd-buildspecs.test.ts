import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import {
  artifactExists,
  projectVariables,
  renderedBuildspec,
  runBuildspec,
  type Workspace,
  workspace,
} from './codebuild-shell.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/*
 * Every buildspec of the dev cicd stack, taken from the synthesized `aws_codebuild_project` (what
 * Terraform sends to CodeBuild, after its own `$${` unescaping), run with all phases in one shell
 * (test/codebuild-shell.ts) against recording fakes of terraform, pnpm, npm, docker and aws.
 */
let cicd: Json;
beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-buildspec-test-'));
  const { app } = buildApp({
    environments: selectEnvironments('dev'),
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  const dir = path.join(outdir, 'stacks');
  const id = readdirSync(dir).find((s) => s === 'bandup-dev-cicd') as string;
  cicd = JSON.parse(readFileSync(path.join(dir, id, 'cdk.tf.json'), 'utf8')) as Json;
});

function project(name: string): Json {
  const found = Object.values(cicd.resource.aws_codebuild_project as Record<string, Json>).find(
    (p) => p.name === `bandup-dev-cicd-${name}`,
  );
  if (!found) throw new Error(`no project bandup-dev-cicd-${name}`);
  return found;
}

/** A source checkout whose `pnpm synth` output is already in place (what the fake pnpm would build). */
function checkout(stacks: Record<string, 0 | 1 | 2>): Workspace {
  const ws = workspace();
  writeFileSync(path.join(ws.src, 'package.json'), '{"name":"bandup-cloud"}');
  for (const [stack, code] of Object.entries(stacks)) {
    const dir = path.join(ws.src, 'cdktf.out', 'stacks', stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cdk.tf.json'), '{}');
    writeFileSync(path.join(dir, 'plan-exit'), String(code));
  }
  return ws;
}

const commandsOf = (run: { calls: readonly { cwd: string; command: string }[] }, tool: string) =>
  run.calls.filter((c) => c.command.startsWith(`${tool} `));

describe('plan buildspec (all phases, one shell)', () => {
  it('installs, synthesizes and plans in the source directory, and leaves the plans in the artifact', () => {
    const ws = checkout({ 'bandup-dev-network': 0, 'bandup-dev-data': 2 });
    const run = runBuildspec(renderedBuildspec(project('plan')), ws, {
      ...projectVariables(project('plan')),
      STACKS: 'bandup-dev-network bandup-dev-data',
    });
    expect(run.stderr).not.toMatch(/not synthesized|No such file/);
    expect(run.status, run.stderr).toBe(0);
    // Every pnpm and terraform call runs from the source checkout, never from a directory an
    // earlier command moved to.
    for (const call of [...commandsOf(run, 'pnpm'), ...commandsOf(run, 'terraform')].filter(
      (c) => !c.command.startsWith('terraform version'),
    )) {
      expect(call.cwd, call.command).toBe(ws.src);
    }
    expect(commandsOf(run, 'pnpm').map((c) => c.command)).toEqual(
      expect.arrayContaining(['pnpm install --frozen-lockfile', 'pnpm synth']),
    );
    expect(artifactExists(ws, 'plans/changed-stacks.txt')).toBe(true);
    expect(readFileSync(path.join(ws.src, 'plans/changed-stacks.txt'), 'utf8')).toBe('bandup-dev-data\n');
  });
});

describe('apply buildspec (all phases, one shell)', () => {
  it('finds the plan artifact in the source directory and applies the saved plans', () => {
    const ws = checkout({ 'bandup-dev-data': 2 });
    mkdirSync(path.join(ws.src, 'plans'));
    writeFileSync(path.join(ws.src, 'plans/changed-stacks.txt'), 'bandup-dev-data\n');
    writeFileSync(path.join(ws.src, 'cdktf.out/stacks/bandup-dev-data/tfplan'), 'saved');
    const run = runBuildspec(renderedBuildspec(project('apply')), ws, projectVariables(project('apply')));
    expect(run.status, run.stderr).toBe(0);
    expect(
      commandsOf(run, 'terraform')
        .filter((c) => / apply /.test(c.command))
        .map((c) => [c.cwd, c.command]),
    ).toEqual([
      [
        ws.src,
        'terraform -chdir=cdktf.out/stacks/bandup-dev-data apply -input=false -no-color -lock-timeout=5m tfplan',
      ],
    ]);
  });
});

describe('images buildspec (all phases, one shell)', () => {
  it('logs in, builds and pushes both images tagged with the commit SHA from the source directory', () => {
    const ws = checkout({});
    const run = runBuildspec(renderedBuildspec(project('images')), ws, {
      ...projectVariables(project('images')),
      IMAGE_TAG: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(run.status, run.stderr).toBe(0);
    const pushes = commandsOf(run, 'docker').filter((c) => c.command.startsWith('docker push'));
    expect(pushes).toHaveLength(2);
    for (const push of pushes) expect(push.cwd).toBe(ws.src);
    expect(artifactExists(ws, 'images.json')).toBe(true);
  });
});
