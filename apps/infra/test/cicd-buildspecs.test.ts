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

const review = (
  verdict: string,
  items: { severity: string; stack: string; address: string; summary: string }[],
) =>
  JSON.stringify({ verdict, environment: 'dev', commit: 'c', headline: `${items.length} findings`, items });

function planRun(
  stacks: Record<string, 0 | 1 | 2>,
  reviewExit: number,
  reviewJson?: string,
  extra: Record<string, string> = {},
) {
  const ws = checkout(stacks);
  writeFileSync(path.join(ws.dir, 'review-exit'), String(reviewExit));
  if (reviewJson) writeFileSync(path.join(ws.dir, 'review.json'), reviewJson);
  const run = runBuildspec(renderedBuildspec(project('plan')), ws, {
    ...projectVariables(project('plan')),
    STACKS: Object.keys(stacks).join(' '),
    WAVE: 'data',
    PIPELINE_EXECUTION_ID: 'exec-1',
    ...extra,
  });
  return { ws, run };
}

describe('plan buildspec and the plan review', () => {
  it('reviews every plan, exports the verdict and RED/AMBER lines for the approval, and links the review', () => {
    const { ws, run } = planRun(
      { 'bandup-dev-data': 2 },
      3,
      review('AMBER', [
        {
          severity: 'AMBER',
          stack: 'bandup-dev-data',
          address: 'aws_db_instance.db',
          summary: 'engine major version 16 -> 17',
        },
        { severity: 'GREEN', stack: 'bandup-dev-data', address: 'aws_s3_bucket.b', summary: 'tags only' },
      ]),
    );
    expect(run.status, run.stderr).toBe(0);
    const reviewCall = commandsOf(run, 'pnpm').find((c) => c.command.startsWith('pnpm plan:review'));
    expect(reviewCall?.command).toBe(
      'pnpm plan:review --format md --out-dir plans/review --env dev --commit 0123456789abcdef0123456789abcdef01234567 --synth-dir cdktf.out plans/json',
    );
    expect(reviewCall?.cwd).toBe(ws.src);
    expect(artifactExists(ws, 'plans/json/bandup-dev-data.json')).toBe(true);
    expect(run.exported).toMatchObject({ CHANGED: 'true', VERDICT: 'AMBER' });
    expect(run.exported.APPROVAL_SUMMARY).toBe(
      'AMBER: 2 findings; AMBER bandup-dev-data aws_db_instance.db: engine major version 16 -> 17',
    );
    expect(run.exported.APPROVAL_SUMMARY?.length).toBeLessThanOrEqual(380);
    expect(run.exported.REVIEW_URL).toMatch(
      /^https:\/\/ap-southeast-1\.console\.aws\.amazon\.com\/s3\/object\/.+prefix=reviews\/exec-1\/data\/review\.md$/,
    );
    expect(commandsOf(run, 'aws').map((c) => c.command)).toEqual([
      expect.stringMatching(
        /^aws s3 cp --only-show-errors --recursive plans\/review s3:\/\/.+\/reviews\/exec-1\/data$/,
      ),
    ]);
    // The saved plan stays for Apply; the plan was made with -out and -detailed-exitcode.
    expect(artifactExists(ws, 'cdktf.out/stacks/bandup-dev-data/tfplan')).toBe(true);
  });

  it('fails before the approval on an unacknowledged RED review, and on a review error', () => {
    const red = planRun(
      { 'bandup-dev-data': 2 },
      4,
      review('RED', [
        { severity: 'RED', stack: 'bandup-dev-data', address: 'aws_db_instance.db', summary: 'replaced' },
      ]),
    );
    expect(red.run.status).not.toBe(0);
    expect(red.run.stderr).toMatch(/unacknowledged RED/);
    const broken = planRun({ 'bandup-dev-data': 2 }, 1);
    expect(broken.run.status).not.toBe(0);
    expect(broken.run.stderr).toMatch(/plan review failed \(exit 1\)/);
  });

  it('hands a failed plan to the review as its diagnostics, then fails', () => {
    const { ws, run } = planRun({ 'bandup-dev-network': 2, 'bandup-dev-data': 1 }, 4);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/plan failed for: bandup-dev-data/);
    expect(readFileSync(path.join(ws.src, 'plans/json/bandup-dev-data.plan-log.jsonl'), 'utf8')).toMatch(
      /"@level":"error"/,
    );
    // The review still ran over both stacks (a prevent_destroy error is a finding, not just "failed").
    expect(commandsOf(run, 'pnpm').some((c) => c.command.startsWith('pnpm plan:review'))).toBe(true);
  });

  it('reports no changes (approval and apply are skipped) and keeps no saved plan', () => {
    const { ws, run } = planRun({ 'bandup-dev-data': 0 }, 0);
    expect(run.status, run.stderr).toBe(0);
    expect(run.exported.CHANGED).toBe('false');
    expect(artifactExists(ws, 'cdktf.out/stacks/bandup-dev-data/tfplan')).toBe(false);
  });

  it('refuses a stack of another environment', () => {
    const { run } = planRun({ 'bandup-prod-data': 2 }, 0);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/bandup-prod-data is not a stack of environment dev/);
    expect(commandsOf(run, 'terraform').filter((c) => !c.command.startsWith('terraform version'))).toEqual(
      [],
    );
  });
});

describe('drift buildspec (all phases, one shell)', () => {
  const driftRun = (stacks: Record<string, 0 | 1 | 2>, reviewExit: number) => {
    const ws = checkout(stacks);
    writeFileSync(path.join(ws.dir, 'review-exit'), String(reviewExit));
    const run = runBuildspec(renderedBuildspec(project('drift')), ws, {
      ...projectVariables(project('drift')),
      STACKS: Object.keys(stacks).join(' '),
    });
    return run;
  };

  it('notifies the alarm topic with the review when the live platform differs, even when RED', () => {
    const run = driftRun({ 'bandup-dev-network': 0, 'bandup-dev-data': 2 }, 4);
    expect(run.status, run.stderr).toBe(0);
    const plans = commandsOf(run, 'terraform').filter((c) => / plan /.test(c.command));
    expect(plans).toHaveLength(2);
    // Drift is found by refreshing: never -refresh=false.
    for (const p of plans) expect(p.command).not.toMatch(/-refresh=false/);
    const publish = commandsOf(run, 'aws').find((c) => c.command.startsWith('aws sns publish'));
    expect(publish?.command).toMatch(/--topic-arn arn:aws:sns:ap-southeast-1:\d{12}:bandup-dev-app-alarms/);
    expect(publish?.command).toMatch(/--message file:\/\/plans\/review\/review\.txt/);
  });

  it('stays silent when nothing drifted', () => {
    const run = driftRun({ 'bandup-dev-network': 0 }, 0);
    expect(run.status, run.stderr).toBe(0);
    expect(commandsOf(run, 'aws').filter((c) => c.command.startsWith('aws sns'))).toEqual([]);
  });
});

describe('pull-request buildspec (all phases, one shell)', () => {
  const prRun = (variables: Record<string, string>, reviewExit = 2) => {
    const ws = checkout({});
    writeFileSync(path.join(ws.dir, 'review-exit'), String(reviewExit));
    const run = runBuildspec(renderedBuildspec(prProject()), ws, {
      ...projectVariables(prProject()),
      CODEBUILD_WEBHOOK_BASE_REF: 'refs/heads/main',
      CODEBUILD_WEBHOOK_TRIGGER: 'pr/42',
      ...variables,
    });
    return { ws, run };
  };
  const prProject = () => project('pull-requests');

  it('lints, typechecks and tests the affected packages only, then reviews against the base and comments', () => {
    // The fake git reports a difference for `git diff --quiet` (exit 0 = no difference): make it differ.
    const { ws, run } = prRun({ REVIEW_COMMENT_TOKEN: 'token-value' });
    expect(run.status, run.stderr).toBe(0);
    expect(commandsOf(run, 'git')[0]?.command).toBe(
      'git fetch --no-tags origin +refs/heads/main:refs/remotes/origin/main',
    );
    const pnpm = commandsOf(run, 'pnpm').map((c) => c.command);
    expect(pnpm).toEqual(
      expect.arrayContaining([
        'pnpm install --frozen-lockfile',
        'pnpm exec biome ci .',
        'pnpm exec turbo run lint typecheck test --filter=...[origin/main]',
      ]),
    );
    expect(commandsOf(run, 'npm').map((c) => c.command)).toEqual([
      'npm install --global --no-fund --no-audit pnpm@10.34.9',
    ]);
    for (const c of commandsOf(run, 'pnpm')) expect(c.cwd).toBe(ws.src);
    const comment = commandsOf(run, 'curl').find((c) => c.command.includes('api.github.com'));
    expect(comment?.command).toMatch(
      /https:\/\/api\.github\.com\/repos\/bandup\/bandup-cloud\/issues\/42\/comments$/,
    );
    expect(comment?.command).toMatch(/Authorization: Bearer token-value/);
  });

  it('posts on GitLab merge requests and Bitbucket pull requests through their own APIs', () => {
    const gitlab = prRun({ REVIEW_COMMENT_TOKEN: 't', SOURCE_PROVIDER: 'GitLab' }).run;
    expect(gitlab.status, gitlab.stderr).toBe(0);
    expect(
      commandsOf(gitlab, 'curl')
        .map((c) => c.command)
        .join('\n'),
    ).toMatch(/https:\/\/gitlab\.com\/api\/v4\/projects\/bandup%2Fbandup-cloud\/merge_requests\/42\/notes/);
    const bitbucket = prRun({ REVIEW_COMMENT_TOKEN: 't', SOURCE_PROVIDER: 'Bitbucket' }).run;
    expect(
      commandsOf(bitbucket, 'curl')
        .map((c) => c.command)
        .join('\n'),
    ).toMatch(
      /https:\/\/api\.bitbucket\.org\/2\.0\/repositories\/bandup\/bandup-cloud\/pullrequests\/42\/comments/,
    );
  });

  it('fails the check on an unacknowledged RED review (after posting it)', () => {
    const { run } = prRun({ REVIEW_COMMENT_TOKEN: 't' }, 4);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unacknowledged RED/);
    expect(commandsOf(run, 'curl').some((c) => c.command.includes('/comments'))).toBe(true);
  });
});
