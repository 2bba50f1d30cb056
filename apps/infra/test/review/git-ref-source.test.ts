import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportGitRef, resolveCommit } from '../../src/review/git-ref-source.js';

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'plan-review-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  mkdirSync(path.join(dir, 'apps/infra/src'), { recursive: true });
  mkdirSync(path.join(dir, 'apps/infra/node_modules/zod'), { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  writeFileSync(path.join(dir, 'apps/infra/src/config.ts'), 'export const cidr = "10.0.0.0/16";\n');
  git('add', '-A');
  git('commit', '-qm', 'baseline');
  writeFileSync(path.join(dir, 'apps/infra/src/config.ts'), 'export const cidr = "10.1.0.0/16";\n');
  return dir;
}

describe('git ref export for --against', () => {
  it('exports the committed sources of the ref, not the working tree, and links installed node_modules', () => {
    const dir = repo();
    const commit = resolveCommit(dir, 'HEAD');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const target = path.join(dir, '.tmp/source');
    exportGitRef(dir, commit, target);
    expect(readFileSync(path.join(target, 'apps/infra/src/config.ts'), 'utf8')).toContain('10.0.0.0/16');
    const link = path.join(target, 'apps/infra/node_modules');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(path.join(dir, 'apps/infra/node_modules')));
  });

  it('names the ref when it is not a commit', () => {
    const dir = repo();
    expect(() => resolveCommit(dir, 'no-such-branch')).toThrow(
      `--against no-such-branch: not a commit in ${dir}`,
    );
  });
});
