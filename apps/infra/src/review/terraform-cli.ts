import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the `hashicorp/aws` filesystem mirror lives (`TF_PLUGIN_DIR`, default `/opt/tf-plugins`). */
export function pluginMirrorDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TF_PLUGIN_DIR?.trim() || '/opt/tf-plugins';
}

export interface TerraformCli {
  /** Absolute path of the CLI configuration file (mirror-only installation, shared plugin cache). */
  readonly configFile: string;
  /** Environment every Terraform command runs with: no prompts, no network, no real credentials. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Writes a Terraform CLI configuration that installs providers ONLY from the filesystem mirror
 * (no `direct` block, so the registry is never contacted) and links them through a shared plugin
 * cache (the 700 MB provider is symlinked into each stack, never copied).
 */
export function prepareTerraformCli(workDir: string, mirrorDir: string): TerraformCli {
  const cacheDir = path.join(workDir, 'plugin-cache');
  mkdirSync(cacheDir, { recursive: true });
  const configFile = path.join(workDir, 'terraform.rc');
  writeFileSync(
    configFile,
    [
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path = ${JSON.stringify(mirrorDir)}`,
      '  }',
      '}',
      `plugin_cache_dir = ${JSON.stringify(cacheDir)}`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {};
  // Keep only what a process needs to run; drop anything that could point Terraform or the
  // provider at real AWS credentials, profiles or a remote backend.
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: configFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  return { configFile, env };
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform <args>` in `cwd`; never rejects on a non-zero exit (the caller reports it). */
export function runTerraform(
  cli: TerraformCli,
  cwd: string,
  args: readonly string[],
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd, env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Why Terraform checks cannot run here, or `undefined` when they can. */
export function terraformUnavailableReason(mirrorDir: string): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!pathDirs.some((dir) => existsSync(path.join(dir, 'terraform')))) {
    return 'terraform is not installed (not found on PATH)';
  }
  if (!existsSync(path.join(mirrorDir, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    return `no hashicorp/aws provider in the filesystem mirror ${mirrorDir} (set TF_PLUGIN_DIR)`;
  }
  return undefined;
}
