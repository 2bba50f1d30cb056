import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { buildLambdaArchive, type LambdaArchive } from './lambda-archive.js';

/** ESM bundles of CommonJS dependencies (`pg`) still call `require`. */
const BANNER =
  "import { createRequire as __bandupCreateRequire } from 'node:module';\nconst require = __bandupCreateRequire(import.meta.url);";

/**
 * Bundles a function directory's `index.mjs` with its npm dependencies into one ESM file and zips
 * it deterministically. The AWS SDK stays external (the Lambda runtime ships it). Output is keyed by
 * the sources' hash, so unchanged code gives the same archive (no redeploy) and is bundled once.
 */
export function bundledFunctionArchive(sourceDir: string): LambdaArchive {
  const sources = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const hash = createHash('sha256');
  for (const file of sources) hash.update(`${file}\0`).update(readFileSync(path.join(sourceDir, file)));
  const outDir = path.join(
    tmpdir(),
    'bandup-bundled-functions',
    `${path.basename(sourceDir)}-${hash.digest('hex').slice(0, 16)}`,
  );
  const outfile = path.join(outDir, 'index.mjs');
  if (existsSync(outfile)) return buildLambdaArchive(outDir);
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: [path.join(sourceDir, 'index.mjs')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    // `pg-native` and Cloudflare sockets are optional paths of `pg` never taken on Lambda.
    external: ['@aws-sdk/*', 'pg-native', 'cloudflare:sockets'],
    banner: { js: BANNER },
    legalComments: 'none',
    logLevel: 'error',
  });
  return buildLambdaArchive(outDir);
}
