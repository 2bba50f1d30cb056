/**
 * Launcher of `pnpm plan:review` (scripts/plan-review.ts). Compiling the TypeScript sources on
 * every start (tsx) cost seconds per process, more than the review itself; this runs a bundle of
 * them instead, built with esbuild into `.tmp/plan-review-cli/` and rebuilt only when a source
 * file it was built from changed (size or mtime). The `--against` machinery is a separate chunk,
 * loaded only when `--against` is given. `PLAN_REVIEW_CLI_CACHE` moves the cache directory.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(infraDir, 'scripts/plan-review.ts');
const cacheDir = path.resolve(
  process.env.PLAN_REVIEW_CLI_CACHE || path.join(infraDir, '.tmp/plan-review-cli'),
);
const manifestFile = path.join(cacheDir, 'current.json');

/** The bundle of the last build, when every file it was built from is unchanged. */
function currentBundle() {
  if (!existsSync(manifestFile)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const bundle = path.join(cacheDir, manifest.dir, 'plan-review.js');
    if (!existsSync(bundle)) return undefined;
    return manifest.inputs.every(([file, size, mtimeMs]) => {
      const s = statSync(file, { throwIfNoEntry: false });
      return s !== undefined && s.size === size && s.mtimeMs === mtimeMs;
    })
      ? bundle
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every module keeps the meaning of its `import.meta.url` (default rule, price and
 * acknowledgement files are found relative to their sources, not to the bundle).
 */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  // A private directory per build, then an atomic switch: concurrent starts never see half a build.
  const dir = `build-${process.pid}-${Date.now()}`;
  const result = await build({
    entryPoints: { 'plan-review': entry },
    outdir: path.join(cacheDir, dir),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    metafile: true,
    logLevel: 'error',
    plugins: [keepImportMetaUrl],
  });
  const inputs = Object.keys(result.metafile.inputs).map((rel) => {
    const file = path.resolve(infraDir, rel);
    const s = statSync(file);
    return [file, s.size, s.mtimeMs];
  });
  const tmp = `${manifestFile}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, manifestFile);
  // Older builds go after an hour (a process started from one may still load its lazy chunk).
  for (const name of readdirSync(cacheDir))
    if (
      name.startsWith('build-') &&
      name !== dir &&
      Date.now() - statSync(path.join(cacheDir, name)).mtimeMs > 3_600_000
    )
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  return path.join(cacheDir, dir, 'plan-review.js');
}

const bundle = currentBundle() ?? (await buildBundle());
await import(pathToFileURL(bundle).href);
