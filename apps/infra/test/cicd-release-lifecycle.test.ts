import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { dev } from '../src/config/dev.js';
import { loadEnvironment, selectEnvironments } from '../src/config/index.js';
import { runBuildspec, workspace } from './codebuild-shell.js';
import { expiredImages, type SimulatedImage } from './ecr-lifecycle-simulator.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/*
 * The release flow and the repository lifecycle, together, over time: the images pipeline pushes
 * commit-SHA images, `pnpm release` (the real script, against a fake ECR with ECR's tag semantics)
 * promotes one to a release tag and records it in the releases file, then 100 more commits are
 * pushed and the synthesized lifecycle policy is evaluated after each push. The deployed image
 * must survive every evaluation: failover, scale-out and task replacement pull it again.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
let policies: Record<string, Json>;
beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-release-test-'));
  const { app } = buildApp({
    environments: selectEnvironments('dev'),
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  const stack = JSON.parse(
    readFileSync(path.join(outdir, 'stacks/bandup-dev-app/cdk.tf.json'), 'utf8'),
  ) as Json;
  const repos = stack.resource.aws_ecr_repository as Record<string, Json>;
  policies = Object.fromEntries(
    Object.values(stack.resource.aws_ecr_lifecycle_policy as Record<string, Json>).map((p) => {
      const id = /aws_ecr_repository\.([^.]+)\.name/.exec(p.repository)?.[1] as string;
      return [repos[id]?.name, JSON.parse(p.policy)];
    }),
  );
});

const sha = (n: number) => createHash('sha1').update(`commit-${n}`).digest('hex');
const manifest = (n: number) => JSON.stringify({ schemaVersion: 2, config: { digest: `layer-${n}` } });
const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

interface Registry {
  readonly dir: string;
  readonly stateFile: string;
  readonly releasesFile: string;
  images(): (SimulatedImage & { manifest: string })[];
  push(n: number, day: number, releaseTag?: string): void;
  lifecycle(now: number): string[];
  release(args: string[]): { status: number; stdout: string; stderr: string };
}

/** A fake ECR repository `bandup-dev-frontend` plus a copy of the releases file to record into. */
function registry(): Registry {
  const dir = mkdtempSync(path.join(tmpdir(), 'bandup-registry-'));
  const stateFile = path.join(dir, 'ecr.json');
  writeFileSync(stateFile, JSON.stringify({ 'bandup-dev-frontend': [], 'bandup-dev-backend': [] }));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(
    path.join(bin, 'aws'),
    `#!/usr/bin/env bash\nexec node ${JSON.stringify(path.join(here, 'fakes/ecr-aws.mjs'))} "$@"\n`,
  );
  chmodSync(path.join(bin, 'aws'), 0o755);
  const config = path.join(dir, 'config');
  mkdirSync(config);
  for (const f of ['releases.ts', 'release-record.ts'])
    copyFileSync(path.join(here, '../src/config', f), path.join(config, f));
  const read = () =>
    JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, (SimulatedImage & { manifest: string })[]>;
  const write = (s: unknown) => writeFileSync(stateFile, JSON.stringify(s));
  return {
    dir,
    stateFile,
    releasesFile: path.join(config, 'releases.ts'),
    images: () => read()['bandup-dev-frontend'] ?? [],
    push(n, day, releaseTag) {
      const s = read();
      const tags = releaseTag ? [sha(n), releaseTag] : [sha(n)];
      s['bandup-dev-frontend']?.push({
        digest: digestOf(manifest(n)),
        tags,
        pushedAt: day,
        manifest: manifest(n),
      });
      write(s);
    },
    lifecycle(now) {
      const s = read();
      const repo = s['bandup-dev-frontend'] ?? [];
      const expired = expiredImages(policies['bandup-dev-frontend'] as never, repo, now);
      s['bandup-dev-frontend'] = repo.filter((i) => !expired.has(i.digest));
      write(s);
      return [...expired];
    },
    release(args) {
      const r = spawnSync(
        'node',
        [
          '--import',
          'tsx',
          path.join(here, '../scripts/release.ts'),
          ...args,
          '--releases-file',
          path.join(config, 'releases.ts'),
        ],
        {
          encoding: 'utf8',
          cwd: path.join(here, '..'),
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ECR_STATE: stateFile },
        },
      );
      return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

describe('release flow and ECR lifecycle', () => {
  it('a released, deployed image survives 100 later pushes and releases, each followed by a lifecycle run', () => {
    const ecr = registry();
    for (let n = 1; n <= 5; n++) ecr.push(n, n);
    const r = ecr.release([
      'promote',
      '--env',
      'dev',
      '--app',
      'frontend',
      '--commit',
      sha(5),
      '--version',
      'v0.2.0',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    // The record is what the dev config deploys (ecs.frontend.imageTag).
    const recorded = readFileSync(ecr.releasesFile, 'utf8');
    expect(recorded).toContain(`tag: 'v0.2.0'`);
    expect(recorded).toContain(`commit: '${sha(5)}'`);
    const deployedDigest = digestOf(manifest(5));
    expect(recorded).toContain(`digest: '${deployedDigest}'`);
    // Promotion re-tags the built image: same digest, original push time.
    expect(ecr.images().find((i) => i.digest === deployedDigest)).toMatchObject({
      tags: [sha(5), 'v0.2.0'],
      pushedAt: 5,
    });

    const keep = loadEnvironment(dev).ecr.keepOtherTaggedImages;
    let expiredTotal = 0;
    for (let n = 6; n <= 105; n++) {
      // Every other later commit is released too (other environments, hotfixes, rollbacks to come).
      ecr.push(n, n, n % 2 === 0 ? `v0.3.${n}` : undefined);
      expiredTotal += ecr.lifecycle(n).length;
      const deployed = ecr.images().find((i) => i.tags.includes('v0.2.0'));
      expect(deployed?.digest, `after push ${n}`).toBe(deployedDigest);
    }
    // The lifecycle still bounds the repository: unreleased builds beyond the newest ones expired.
    const releases = ecr.images().filter((i) => i.tags.some((t) => t.startsWith('v')));
    expect(releases).toHaveLength(1 + 50);
    expect(ecr.images().length - releases.length).toBeLessThanOrEqual(keep);
    expect(expiredTotal).toBe(105 - 51 - (ecr.images().length - releases.length));
  });

  it('an image deployed by its commit SHA alone would be expired: the config only accepts release tags', () => {
    const ecr = registry();
    ecr.push(1, 1);
    const deployedDigest = digestOf(manifest(1));
    let expiredAt: number | undefined;
    for (let n = 2; n <= 101 && expiredAt === undefined; n++) {
      ecr.push(n, n);
      if (ecr.lifecycle(n).includes(deployedDigest)) expiredAt = n;
    }
    expect(expiredAt).toBe(loadEnvironment(dev).ecr.keepOtherTaggedImages + 1);
    const bad = { ...dev, ecs: { ...dev.ecs, frontend: { ...dev.ecs.frontend, imageTag: sha(1) } } };
    expect(() => loadEnvironment(bad)).toThrow(/ecs\.frontend\.imageTag: must be a release tag/);
  });

  it('promotion is idempotent, refuses a moved version and an unbuilt commit', () => {
    const ecr = registry();
    ecr.push(1, 1);
    ecr.push(2, 2);
    const args = ['promote', '--env', 'dev', '--app', 'frontend', '--version', 'v1.0.0', '--commit'];
    expect(ecr.release([...args, sha(1)]).status).toBe(0);
    expect(ecr.release([...args, sha(1)]).status).toBe(0);
    const moved = ecr.release([...args, sha(2)]);
    expect(moved.status).toBe(1);
    expect(moved.stderr).toMatch(/bandup-dev-frontend:v1\.0\.0 already exists for another image/);
    const unbuilt = ecr.release([...args.slice(0, -3), '--version', 'v1.0.1', '--commit', sha(9)]);
    expect(unbuilt.status).toBe(1);
    expect(unbuilt.stderr).toMatch(/does not exist: run the images pipeline for this commit first/);
    const badArgs = ecr.release(['promote', '--env', 'dev', '--commit', 'abc', '--version', 'latest']);
    expect(badArgs.stderr).toMatch(
      /--commit must be a full 40-character commit SHA\n--version must be a release tag/,
    );
    expect(readFileSync(ecr.releasesFile, 'utf8')).toContain(`commit: '${sha(1)}'`);
  });
});

describe('first image of a new environment (scripts/first-image.sh)', () => {
  const script = path.join(here, '../scripts/first-image.sh');
  const run = (args: string, status = 'Succeeded') => {
    const ws = workspace();
    const dir = path.join(ws.src, 'cdktf.out/stacks/bandup-staging-app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({
        resource: {
          aws_ecr_repository: {
            'frontend-repository_repository_1': {},
            'backend-repository_repository_2': {},
          },
          aws_ecr_lifecycle_policy: { 'frontend-repository_lifecycle_3': {} },
          aws_ecs_service: { frontend: {} },
        },
      }),
    );
    writeFileSync(path.join(ws.dir, 'pipeline-status'), status);
    return runBuildspec(
      { env: { shell: 'bash' }, phases: { build: { commands: [`bash ${script} ${args}`] } } },
      ws,
      { POLL_SECONDS: '0' },
    );
  };

  it('applies only the repositories, builds through the images pipeline, then promotes and records', () => {
    const r = run('staging v0.1.0');
    expect(r.status, r.stderr).toBe(0);
    const commands = r.calls.map((c) => c.command);
    expect(commands).toEqual([
      'git rev-parse --show-toplevel',
      'pnpm synth',
      'terraform -chdir=cdktf.out/stacks/bandup-staging-app init -input=false',
      'terraform -chdir=cdktf.out/stacks/bandup-staging-app apply -input=false -target=aws_ecr_repository.backend-repository_repository_2 -target=aws_ecr_repository.frontend-repository_repository_1 -target=aws_ecr_lifecycle_policy.frontend-repository_lifecycle_3',
      'aws codepipeline start-pipeline-execution --name bandup-staging-cicd-images --query pipelineExecutionId --output text',
      'aws codepipeline get-pipeline-execution --pipeline-name bandup-staging-cicd-images --pipeline-execution-id exec-1 --query pipelineExecution.status --output text',
      'aws codepipeline get-pipeline-execution --pipeline-name bandup-staging-cicd-images --pipeline-execution-id exec-1 --query pipelineExecution.artifactRevisions[0].revisionId --output text',
      'pnpm release promote --env staging --commit 0123456789abcdef0123456789abcdef01234567 --version v0.1.0',
    ]);
    // Never the services: they come with the pipeline run, once the images exist.
    expect(commands.join('\n')).not.toMatch(/aws_ecs_service/);
  });

  it('stops when the image build fails, and refuses a version that is not a release tag', () => {
    const failed = run('staging v0.1.0', 'Failed');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/execution exec-1 ended Failed/);
    expect(failed.calls.map((c) => c.command).join('\n')).not.toMatch(/release promote/);
    const bad = run('staging latest');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/version must be a release tag/);
    expect(bad.calls).toEqual([]);
  });
});
