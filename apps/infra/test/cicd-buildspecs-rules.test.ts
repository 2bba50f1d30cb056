import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBuildspec } from '../src/stacks/cicd/buildspecs/apply.js';
import { imagesBuildspec } from '../src/stacks/cicd/buildspecs/images.js';
import { PLAN_EXPORTED_VARIABLES, planBuildspec } from '../src/stacks/cicd/buildspecs/plan.js';
import { pullRequestBuildspec } from '../src/stacks/cicd/buildspecs/pull-request.js';
import {
  INSTALL_TERRAFORM,
  terraformLiteral,
  yamlScript,
} from '../src/stacks/cicd/buildspecs/terraform-install.js';
import { renderedBuildspec, runBuildspec, type ShellRun, workspace } from './codebuild-shell.js';

/*
 * The buildspec builders' own rules, checked on what they return (no synth): how scripts are
 * embedded in YAML and escaped for Terraform, the checksum-verified Terraform install, the image
 * tag gate, the plan's exported variables and what the pull-request check mirrors and diffs. The
 * scripts run in one shell against the recording fakes of test/codebuild-shell.ts.
 */

/** The buildspec CodeBuild receives from a builder's text (after Terraform's unescaping). */
const received = (text: string) => renderedBuildspec({ source: { buildspec: text } });

const commandsOf = (run: ShellRun, tool: string) =>
  run.calls.filter((c) => c.command.startsWith(`${tool} `)).map((c) => c.command);

describe('embedding scripts in a buildspec', () => {
  it('yamlScript indents every line as one block scalar item and leaves blank lines empty (no trailing spaces)', () => {
    expect(yamlScript('echo a\n\necho b', 4)).toBe('    - |\n      echo a\n\n      echo b');
  });

  it('terraformLiteral doubles both Terraform template openers, and only those', () => {
    expect(terraformLiteral('echo "${HOME}" %{ if x } $HOME % {')).toBe(
      'echo "$${HOME}" %%{ if x } $HOME % {',
    );
    // What Terraform renders from it is the text itself again.
    expect(received(`run: ${terraformLiteral("'${A}%{B}'")}`)).toEqual({ run: '${A}%{B}' });
  });
});

describe('Terraform install: a pinned release, checked against its SHA256SUMS before unpacking', () => {
  const install = (arch: string) => {
    const ws = workspace();
    const run = runBuildspec(
      { env: { shell: 'bash' }, phases: { install: { commands: [INSTALL_TERRAFORM] } } },
      ws,
      {
        TERRAFORM_VERSION: '1.11.4',
        TERRAFORM_ARCH: arch,
      },
    );
    return { ws, run };
  };

  it('downloads the release zip and its checksum file, verifies, unpacks terraform only, and reports the version', () => {
    const { ws, run } = install('amd64');
    expect(run.status, run.stderr).toBe(0);
    const curl = commandsOf(run, 'curl');
    expect(curl).toHaveLength(2);
    expect(curl[0]).toMatch(
      /^curl -fsSLo \S+\/terraform_1\.11\.4_linux_amd64\.zip https:\/\/releases\.hashicorp\.com\/terraform\/1\.11\.4\/terraform_1\.11\.4_linux_amd64\.zip$/,
    );
    expect(curl[1]).toMatch(
      /^curl -fsSLo \S+\/terraform_SHA256SUMS https:\/\/releases\.hashicorp\.com\/terraform\/1\.11\.4\/terraform_1\.11\.4_SHA256SUMS$/,
    );
    expect(commandsOf(run, 'unzip')).toEqual([
      expect.stringMatching(
        /^unzip -o -q \S+\/terraform_1\.11\.4_linux_amd64\.zip -d \/usr\/local\/bin terraform$/,
      ),
    ]);
    expect(commandsOf(run, 'terraform')).toEqual(['terraform version']);
    // Nothing moved the shell away from the source checkout.
    for (const call of run.calls) expect(call.cwd).toBe(ws.src);
  });

  it('a zip without a matching checksum line fails the install before anything is unpacked', () => {
    // The fake SHA256SUMS lists only the amd64 zip.
    const { ws, run } = install('arm64');
    expect(run.failedPhase).toBe('install');
    expect(run.stderr).toMatch(/no properly formatted checksum lines/);
    const calls = readFileSync(path.join(ws.dir, 'calls.log'), 'utf8');
    expect(calls).toMatch(/\tcurl .*terraform_1\.11\.4_SHA256SUMS\n/);
    expect(calls).not.toMatch(/\t(unzip|terraform) /);
  });
});

describe('every buildspec command fails on its first failing line', () => {
  // CodeBuild judges a multi-line command by its exit status alone: without errexit, a failed
  // download or install in the middle is masked by the lines after it. Each command sets the
  // options itself rather than relying on what an earlier command left in the shell.
  const buildspecs = {
    apply: applyBuildspec(),
    images: imagesBuildspec(),
    plan: planBuildspec(),
    'pull-request': pullRequestBuildspec(),
  };

  it('each command of each phase starts with set -euo pipefail', () => {
    for (const [name, text] of Object.entries(buildspecs)) {
      const phases = Object.entries(received(text).phases as Record<string, { commands: string[] }>);
      expect(phases.length, name).toBeGreaterThan(0);
      for (const [phase, { commands }] of phases) {
        for (const command of commands) {
          expect(command.split('\n')[0], `${name} ${phase}: ${command.slice(0, 60)}`).toBe(
            'set -euo pipefail',
          );
        }
      }
    }
  });

  it('a failed pnpm installation fails the install phase before the workspace install and the build', () => {
    const ws = workspace();
    writeFileSync(path.join(ws.dir, 'npm-exit'), '1');
    const run = runBuildspec(received(planBuildspec()), ws, {
      TERRAFORM_VERSION: '1.11.4',
      TERRAFORM_ARCH: 'amd64',
      BANDUP_ENV: 'dev',
      STACKS: 'bandup-dev-network',
    });
    expect(run.failedPhase).toBe('install');
    expect(commandsOf(run, 'npm')).toHaveLength(1);
    expect(commandsOf(run, 'pnpm')).toEqual([]);
  });
});

describe('images buildspec: only a full commit SHA is pushed', () => {
  const images = (tag: string) => {
    const ws = workspace();
    const uri = (app: string) => `111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/bandup-dev-${app}`;
    return runBuildspec(received(imagesBuildspec()), ws, {
      IMAGE_TAG: tag,
      PLATFORM: 'linux/arm64',
      FRONTEND_REPOSITORY_URI: uri('frontend'),
      FRONTEND_CONTEXT: 'frontend',
      FRONTEND_DOCKERFILE: 'frontend/Dockerfile',
      BACKEND_REPOSITORY_URI: uri('backend'),
      BACKEND_CONTEXT: 'backend',
      BACKEND_DOCKERFILE: 'backend/Dockerfile',
    });
  };

  it('anything else (a branch name, latest, a short SHA) fails the build before any login or build', () => {
    for (const tag of ['latest', 'main', '0123456', `${'0123456789abcdef'.repeat(2)}0123456`]) {
      const run = images(tag);
      expect(run.status, tag).not.toBe(0);
      expect(run.stderr).toContain(`IMAGE_TAG must be a full commit SHA, got '${tag}'`);
      expect(commandsOf(run, 'docker'), tag).toEqual([]);
      expect(commandsOf(run, 'aws'), tag).toEqual([]);
    }
  });

  it('a full SHA logs in to the registry of the repositories, then builds', () => {
    const run = images('0123456789abcdef0123456789abcdef01234567');
    expect(run.status, run.stderr).toBe(0);
    expect(commandsOf(run, 'aws')[0]).toBe('aws ecr get-login-password --region ap-southeast-1');
    expect(commandsOf(run, 'docker')[0]).toBe(
      'docker login --username AWS --password-stdin 111111111111.dkr.ecr.ap-southeast-1.amazonaws.com',
    );
    expect(commandsOf(run, 'docker').filter((c) => c.startsWith('docker build '))).toHaveLength(2);
  });
});

describe('plan buildspec: the variables the pipeline reads', () => {
  it('exports each of CHANGED, VERDICT, APPROVAL_SUMMARY and REVIEW_URL as its own list item', () => {
    expect(received(planBuildspec()).env['exported-variables']).toEqual([...PLAN_EXPORTED_VARIABLES]);
    expect([...PLAN_EXPORTED_VARIABLES]).toEqual(['CHANGED', 'VERDICT', 'APPROVAL_SUMMARY', 'REVIEW_URL']);
  });
});

describe('pull-request buildspec: provider mirror and the infrastructure paths', () => {
  const pr = (gitDiffExit: 0 | 1) => {
    const ws = workspace();
    writeFileSync(path.join(ws.dir, 'git-diff-exit'), String(gitDiffExit));
    const run = runBuildspec(received(pullRequestBuildspec()), ws, {
      TERRAFORM_VERSION: '1.11.4',
      TERRAFORM_ARCH: 'amd64',
      AWS_PROVIDER_VERSION: '5.100.0',
      TF_PLUGIN_DIR: '/opt/tf-plugins',
      BASE_BRANCH: 'main',
      SOURCE_PROVIDER: 'GitHub',
      REPOSITORY: 'bandup/bandup-cloud',
      CODEBUILD_WEBHOOK_TRIGGER: 'pr/42',
    });
    return { ws, run };
  };

  it('fills the provider mirror once, for linux_amd64, into TF_PLUGIN_DIR', () => {
    const { run } = pr(1);
    expect(run.status, run.stderr).toBe(0);
    expect(commandsOf(run, 'terraform').filter((c) => c.includes(' providers '))).toEqual([
      expect.stringMatching(
        /^terraform -chdir=\S+ providers mirror -platform=linux_amd64 \/opt\/tf-plugins$/,
      ),
    ]);
  });

  it('diffs exactly the infrastructure inputs against the base, each as its own path', () => {
    const { run } = pr(1);
    expect(commandsOf(run, 'git').filter((c) => c.startsWith('git diff '))).toEqual([
      'git diff --quiet origin/main...HEAD -- apps/infra apps/ai-workers packages package.json pnpm-lock.yaml',
    ]);
    expect(commandsOf(run, 'pnpm').some((c) => c.startsWith('pnpm plan:review --against origin/main '))).toBe(
      true,
    );
  });

  it('no infrastructure input changed: no plan review, and the review says why', () => {
    const { ws, run } = pr(0);
    expect(run.status, run.stderr).toBe(0);
    expect(commandsOf(run, 'pnpm').some((c) => c.startsWith('pnpm plan:review'))).toBe(false);
    expect(readFileSync(path.join(ws.src, 'pr-review/review.md'), 'utf8')).toBe(
      'No infrastructure input changed since origin/main: no plan review needed.\n',
    );
  });
});

describe('Terraform builds: shell, automation mode, toolchain and artifacts', () => {
  it('every Terraform build is a 0.2 buildspec on bash with Terraform in automation mode and no checkpoint calls', () => {
    for (const text of [applyBuildspec(), planBuildspec(), pullRequestBuildspec()]) {
      const spec = received(text);
      expect(spec.version).toBe(0.2);
      expect(spec.env.shell).toBe('bash');
      expect(spec.env.variables).toEqual({
        TF_IN_AUTOMATION: 'true',
        TF_INPUT: '0',
        CHECKPOINT_DISABLE: '1',
      });
    }
  });

  it('apply installs Terraform only: no Node runtime, no pnpm', () => {
    const install = received(applyBuildspec()).phases.install;
    expect(install['runtime-versions']).toBeUndefined();
    expect(install.commands.map((c: string) => c.trimEnd())).toEqual([INSTALL_TERRAFORM]);
  });

  it('builds that synthesize run on Node 22 and install the locked workspace after Terraform', () => {
    const install = received(planBuildspec()).phases.install;
    expect(install['runtime-versions']).toEqual({ nodejs: 22 });
    expect(install.commands).toHaveLength(2);
    expect(install.commands[0].trimEnd()).toBe(INSTALL_TERRAFORM);
    expect(install.commands[1].trimEnd()).toMatch(/pnpm install --frozen-lockfile$/);
  });

  it('the plan artifact carries the plans and the synthesized stacks, without Terraform working directories', () => {
    expect(received(planBuildspec()).artifacts).toEqual({
      files: ['plans/**/*', 'cdktf.out/stacks/**/*'],
      'exclude-paths': ['cdktf.out/stacks/*/.terraform/**/*'],
    });
  });
});
