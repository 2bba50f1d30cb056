import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildspec, workspace } from './codebuild-shell.js';

/*
 * The CodeBuild simulator itself (test/codebuild-shell.ts): the buildspec tests trust it to fail a
 * build exactly when CodeBuild would, so its phase and command semantics are pinned here.
 */

// biome-ignore lint/suspicious/noExplicitAny: a buildspec is an untyped document
type Json = Record<string, any>;

const build = (phases: Json, variables: Record<string, string> = {}) => {
  const ws = workspace();
  return { ws, run: runBuildspec({ version: 0.2, env: { shell: 'bash' }, phases }, ws, variables) };
};

describe('a failing command fails its phase', () => {
  it('under set -e, a failing line in the middle of a multi-line command fails the phase and nothing after it runs', () => {
    const { run } = build({
      pre_build: { commands: ['set -e\necho before\nfalse\necho after'] },
      build: { commands: ['echo build-ran'] },
    });
    expect(run.failedPhase).toBe('pre_build');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('before');
    expect(run.stdout).not.toContain('after');
    expect(run.stdout).not.toContain('build-ran');
  });

  it('set -e carried from an earlier command fails `false; echo after`', () => {
    const { run } = build({ build: { commands: ['set -euo pipefail', 'false; echo after', 'echo next'] } });
    expect(run.failedPhase).toBe('build');
    expect(run.stdout).not.toContain('after');
    expect(run.stdout).not.toContain('next');
  });

  it('set -o pipefail carried from an earlier command fails a pipeline whose first part fails', () => {
    const { run } = build({ build: { commands: ['set -o pipefail', 'false | cat'] } });
    expect(run.failedPhase).toBe('build');
  });

  it('without set -e, a multi-line command is judged by its last line only, as CodeBuild does', () => {
    const masked = build({ build: { commands: ['false\necho after'] } }).run;
    expect(masked.status, masked.stderr).toBe(0);
    expect(masked.stdout).toContain('after');
    const last = build({ build: { commands: ['echo first\nfalse'] } }).run;
    expect(last.failedPhase).toBe('build');
  });

  it('a failing single-line command skips the rest of its phase', () => {
    const { run } = build({ build: { commands: ['echo one', 'exit 3', 'echo three'] } });
    expect(run.failedPhase).toBe('build');
    expect(run.stdout).toContain('one');
    expect(run.stdout).not.toContain('three');
  });

  it('an unset variable under set -u fails the command', () => {
    const { run } = build({ build: { commands: ['set -u\necho "$NOT_SET_ANYWHERE"\necho after'] } });
    expect(run.failedPhase).toBe('build');
    expect(run.stderr).toMatch(/NOT_SET_ANYWHERE: unbound variable/);
  });
});

describe('phase order under on-failure: ABORT', () => {
  const phases = (failing: string): Json =>
    Object.fromEntries(
      ['install', 'pre_build', 'build', 'post_build'].map((p) => [
        p,
        { commands: [p === failing ? `echo ${p}-ran; false` : `echo ${p}-ran`] },
      ]),
    );
  const ran = (stdout: string) => stdout.trim().split('\n');

  it('all phases run in order when nothing fails', () => {
    const { run } = build(phases('none'));
    expect(run.status).toBe(0);
    expect(run.failedPhase).toBeUndefined();
    expect(ran(run.stdout)).toEqual(['install-ran', 'pre_build-ran', 'build-ran', 'post_build-ran']);
  });

  it('a failed install or pre_build skips every later phase, post_build included', () => {
    for (const failing of ['install', 'pre_build']) {
      const { run } = build(phases(failing));
      expect(run.failedPhase).toBe(failing);
      expect(ran(run.stdout).at(-1)).toBe(`${failing}-ran`);
    }
  });

  it('a failed build still runs post_build, and the build stays failed', () => {
    const { run } = build(phases('build'));
    expect(ran(run.stdout)).toEqual(['install-ran', 'pre_build-ran', 'build-ran', 'post_build-ran']);
    expect(run.failedPhase).toBe('build');
    expect(run.status).not.toBe(0);
  });

  it('a failed post_build fails the build', () => {
    const { run } = build(phases('post_build'));
    expect(run.failedPhase).toBe('post_build');
    expect(run.status).not.toBe(0);
  });

  it('finally runs after a failed command, and a failure in finally fails the phase', () => {
    const after = build({ build: { commands: ['false', 'echo skipped'], finally: ['echo cleanup'] } }).run;
    expect(after.failedPhase).toBe('build');
    expect(after.stdout.trim()).toBe('cleanup');
    const inFinally = build({ build: { commands: ['echo ok'], finally: ['false'] } }).run;
    expect(inFinally.failedPhase).toBe('build');
  });

  it('refuses phase settings it does not model rather than ignoring them', () => {
    expect(() => build({ build: { 'on-failure': 'CONTINUE', commands: ['true'] } })).toThrow(
      /on-failure: ABORT only, got CONTINUE in phase build/,
    );
    expect(() => runBuildspec({ phases: { build: { commands: ['true'] } } }, workspace(), {})).toThrow(
      /env.shell: bash buildspecs only, got sh/,
    );
  });
});

describe('shell state carries between commands and phases', () => {
  it('working directory, variables (exported or not) and options reach later commands and phases', () => {
    const ws = workspace();
    mkdirSync(path.join(ws.src, 'sub'));
    const run = runBuildspec(
      {
        env: { shell: 'bash' },
        phases: {
          install: { commands: ['cd sub', 'plain=one; export EXPORTED=two; set -u'] },
          build: { commands: ['echo "$PWD|$plain|$EXPORTED"', 'printenv EXPORTED', 'echo "$still_unset"'] },
        },
      },
      ws,
      {},
    );
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${path.join(ws.src, 'sub')}|one|two`);
    expect(lines[1]).toBe('two');
    // `set -u` from install still holds in build.
    expect(run.failedPhase).toBe('build');
    expect(run.stderr).toMatch(/still_unset: unbound variable/);
  });

  it('state set before a failing command reaches post_build', () => {
    const { run } = build({
      build: { commands: ['export RESULT=partial\nfalse'] },
      post_build: { commands: ['echo "result=$RESULT"'] },
    });
    expect(run.failedPhase).toBe('build');
    expect(run.stdout).toContain('result=partial');
  });

  it('arrays and values with newlines and quotes survive the carry unchanged', () => {
    const { run } = build({
      build: {
        commands: [
          `list=(a "b c"); text=$'line one\\nit\\'s "two"'`,
          'printf "%s|" "${list[@]}"; printf "%s" "$text"',
        ],
      },
    });
    expect(run.stdout).toBe(`a|b c|line one\nit's "two"`);
  });

  it('a function does not outlive the command that defines it', () => {
    const { run } = build({ build: { commands: ['greet() { echo hi; }; greet', 'greet'] } });
    expect(run.stdout.trim()).toBe('hi');
    expect(run.failedPhase).toBe('build');
  });

  it('exported-variables reports only variables exported by the end of the build', () => {
    const ws = workspace();
    const run = runBuildspec(
      {
        env: { shell: 'bash', 'exported-variables': ['SHOWN', 'ONLY_SET', 'LATE'] },
        phases: {
          build: { commands: ['export SHOWN=yes; ONLY_SET=no; export LATE=early'] },
          post_build: { commands: ['LATE=final'] },
        },
      },
      ws,
      {},
    );
    expect(run.exported).toEqual({ SHOWN: 'yes', LATE: 'final' });
  });
});
