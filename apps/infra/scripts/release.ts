/**
 * `pnpm release promote --env <env> --commit <sha> --version <v1.2.3> [--app frontend|backend|all]`
 *
 * Promotes the images the images pipeline built for a commit (tagged with the full commit SHA) to an
 * immutable release tag in the environment's repositories, then records the release (tag, commit,
 * digest) in `src/config/releases.ts`. Commit that file in a pull request: the infrastructure
 * pipeline plans the new task definitions, the approver approves, Apply rolls the services.
 *
 * Promotion adds a tag to the existing image manifest (ECR `put-image` with the same manifest):
 * nothing is rebuilt, the release is byte-for-byte the image that was built and scanned. Release
 * tags are never expired by the repository lifecycle, so a deployed image stays pullable for
 * failover, scale-out and task replacement. Re-running a promotion is a no-op; a version already
 * pointing at another image is refused (tags are immutable).
 *
 * Needs AWS credentials allowed to call ecr:DescribeImages, ecr:BatchGetImage and ecr:PutImage on
 * the repositories (`aws` CLI v2 on PATH). `--releases-file` writes elsewhere (tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type AppName,
  assertComplete,
  type ReleaseRecords,
  renderReleases,
  withRelease,
} from '../src/config/release-record.js';

const DEFAULT_RELEASES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../src/config/releases.ts',
);
const RELEASE_TAG = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/;

class ReleaseError extends Error {}

function aws(args: readonly string[]): string {
  try {
    return execFileSync('aws', [...args, '--output', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (stderr.includes('ImageNotFoundException')) throw new ImageNotFound();
    throw new ReleaseError(`aws ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}
class ImageNotFound extends Error {}

/** The digest behind a tag, or undefined when the tag does not exist. */
function digestOf(repository: string, tag: string): string | undefined {
  try {
    const out = JSON.parse(
      aws(['ecr', 'describe-images', '--repository-name', repository, '--image-ids', `imageTag=${tag}`]),
    ) as { imageDetails: { imageDigest: string }[] };
    return out.imageDetails[0]?.imageDigest;
  } catch (error) {
    if (error instanceof ImageNotFound) return undefined;
    throw error;
  }
}

/** Tags `version` on the image `commit` points at; returns its digest. */
export function promote(repository: string, commit: string, version: string): string {
  const digest = digestOf(repository, commit);
  if (!digest) {
    throw new ReleaseError(
      `${repository}:${commit} does not exist: run the images pipeline for this commit first (it pushes commit-SHA tags)`,
    );
  }
  const existing = digestOf(repository, version);
  if (existing === digest) return digest;
  if (existing) {
    throw new ReleaseError(
      `${repository}:${version} already exists for another image (${existing}); release tags are immutable, choose a new version`,
    );
  }
  const image = JSON.parse(
    aws(['ecr', 'batch-get-image', '--repository-name', repository, '--image-ids', `imageDigest=${digest}`]),
  ) as { images: { imageManifest: string; imageManifestMediaType?: string }[] };
  const manifest = image.images[0];
  if (!manifest) throw new ReleaseError(`${repository}@${digest}: batch-get-image returned no manifest`);
  const dir = mkdtempSync(path.join(tmpdir(), 'bandup-release-'));
  try {
    // The manifest must reach ECR byte for byte (its digest is its hash): through a file, not argv.
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, manifest.imageManifest);
    aws([
      'ecr',
      'put-image',
      '--repository-name',
      repository,
      '--image-tag',
      version,
      '--image-manifest',
      `file://${file}`,
      ...(manifest.imageManifestMediaType
        ? ['--image-manifest-media-type', manifest.imageManifestMediaType]
        : []),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return digest;
}

async function main(argv: readonly string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      commit: { type: 'string' },
      version: { type: 'string' },
      app: { type: 'string', default: 'all' },
      'releases-file': { type: 'string', default: DEFAULT_RELEASES },
    },
  });
  if (positionals[0] !== 'promote')
    throw new ReleaseError(
      'usage: pnpm release promote --env <env> --commit <sha> --version <v1.2.3> [--app frontend|backend|all]',
    );
  const problems: string[] = [];
  if (!values.env) problems.push('--env is required');
  if (!values.commit || !COMMIT.test(values.commit))
    problems.push('--commit must be a full 40-character commit SHA');
  if (!values.version || !RELEASE_TAG.test(values.version))
    problems.push('--version must be a release tag such as v1.2.3');
  if (!['frontend', 'backend', 'all'].includes(values.app ?? ''))
    problems.push('--app must be frontend, backend or all');
  if (problems.length > 0) throw new ReleaseError(problems.join('\n'));
  const env = values.env as string;
  const file = path.resolve(values['releases-file'] as string);
  let records = (await import(pathToFileURL(file).href)).RELEASES as ReleaseRecords;
  if (!records[env] && values.app !== 'all') {
    throw new ReleaseError(`${env} has no release yet: its first release promotes both apps (--app all)`);
  }
  const apps: AppName[] = values.app === 'all' ? ['frontend', 'backend'] : [values.app as AppName];
  for (const app of apps) {
    const repository = `bandup-${env}-${app}`;
    const digest = promote(repository, values.commit as string, values.version as string);
    records = withRelease(records, env, app, {
      tag: values.version as string,
      commit: values.commit as string,
      digest,
      promotedAt: new Date().toISOString(),
    });
    console.log(`${repository}:${values.version} -> ${digest} (commit ${values.commit})`);
  }
  assertComplete(records);
  writeFileSync(file, renderReleases(records));
  console.log(`recorded in ${path.relative(process.cwd(), file)}: commit it in a pull request to deploy`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof ReleaseError ? `release: ${error.message}` : error);
    process.exit(1);
  });
}
