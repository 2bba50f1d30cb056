import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * The sources of a git ref, exported next to the working tree so the ref's own code can be
 * synthesized (`plan:review --against <ref>`). Installed dependencies are reused: each package's
 * `node_modules` is linked to the working tree's, so nothing is installed or downloaded.
 * Workspace packages resolve through those links to the working tree's builds
 * (`@bandup/shared`'s `dist`, the worker bundles): a change in them is reviewed as part of the
 * working tree only.
 */
export function resolveCommit(repoRoot: string, ref: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch {
    throw new Error(`--against ${ref}: not a commit in ${repoRoot}`);
  }
}

const LINKED = [
  'node_modules',
  'apps/infra/node_modules',
  'apps/ai-workers/node_modules',
  'packages/shared/node_modules',
  'apps/ai-workers/dist',
];

export function exportGitRef(repoRoot: string, commit: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit], {
    cwd: repoRoot,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', target], { input: archive });
  for (const rel of LINKED) {
    const source = path.join(repoRoot, rel);
    const link = path.join(target, rel);
    if (!existsSync(source) || existsSync(link)) continue;
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(source, link, 'dir');
  }
}
