import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the real entry point the way `cdktf synth` does, with the given environment variables. */
function synth(env: Record<string, string>): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: infraDir,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: path.join(infraDir, '.tmp', 'startup-errors'), ...env },
  });
  return { status: run.status, stderr: run.stderr };
}

/** Lines of our own, without Node's deprecation chatter from dependencies. */
function ownLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(l));
}

describe('startup mistakes fail with one clear line, not a stack trace', () => {
  it('an unknown BANDUP_ENV names the value and the known environments', () => {
    const { status, stderr } = synth({ BANDUP_ENV: 'qa' });
    expect(status).toBe(1);
    expect(ownLines(stderr)).toEqual([
      'bandup synth: Unknown environment "qa" (BANDUP_ENV); known: dev, prod',
    ]);
  });

  it('a bad BANDUP_BOOTSTRAP_BACKEND names the variable and the allowed values', () => {
    const { status, stderr } = synth({ BANDUP_ENV: 'dev', BANDUP_BOOTSTRAP_BACKEND: 'gcs' });
    expect(status).toBe(1);
    expect(ownLines(stderr)).toEqual([
      'bandup synth: BANDUP_BOOTSTRAP_BACKEND must be "local" or "s3", got "gcs"',
    ]);
  });

  it('malformed CDKTF context is named as such', () => {
    const { status, stderr } = synth({ BANDUP_ENV: '', CDKTF_CONTEXT_JSON: '{not json' });
    expect(status).toBe(1);
    expect(ownLines(stderr)).toEqual(['bandup synth: CDKTF_CONTEXT_JSON is not valid JSON']);
  });
});
