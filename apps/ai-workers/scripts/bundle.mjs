// Bundles every Lambda function of the worker catalogue into a minified ESM entry file,
// apps/ai-workers/dist/<function>/index.mjs, plus lazily loaded chunks under chunks/ (+ .map files and
// meta.json for size analysis). The infra stacks zip these directories as Terraform assets.
//
// Code splitting keeps what a function rarely needs out of its cold start: modules reached only through
// `import()` (PDF.js, which the flashcards worker loads on its first PDF; the SDK's SSO/STS credential
// providers, never used in Lambda where credentials come from the environment) become separate chunks
// that are read from disk only when first used.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NAMES } from '@bandup/shared';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(packageDir, 'dist');

// ESM bundles of CommonJS dependencies still call `require`, `__filename` and `__dirname`.
const banner = [
  "import { createRequire as __bandupCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bandupFileURLToPath } from 'node:url';",
  "import { dirname as __bandupDirname } from 'node:path';",
  'const require = __bandupCreateRequire(import.meta.url);',
  'const __filename = __bandupFileURLToPath(import.meta.url);',
  'const __dirname = __bandupDirname(__filename);',
].join('\n');

/**
 * zod 4's namespaces re-export every locale (`z.locales`), which can defeat tree-shaking: ~260 KB of
 * translated error messages in a bundle. The workers only use English messages (configured by
 * `@bandup/shared/zod`), so the locales index resolves to a module exporting `en` alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}`)
        ? {
            path: resolve(dirname(args.importer), args.path.replace(/index\.js$/, 'en.js')),
            namespace: 'zod-en',
          }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Node built-ins are loaded through `require`, never through an ESM `import`. Node builds the ESM
 * namespace of a built-in by reading every export, which runs the lazy getters CommonJS callers never
 * touch: `import 'node:http'` evaluates `http.WebSocket` and loads undici (~35 ms of a cold start on
 * this machine, against ~6 ms for `require('node:http')`); `node:process` opens stdin, `node:fs` its
 * promises API. Each built-in imported by ESM code in the bundle therefore resolves to a one-line
 * CommonJS module re-exporting `require(<built-in>)`, which esbuild's interop turns into property reads
 * at the point of use.
 */
const builtinNames = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind !== 'require-call' && builtinNames.has(args.path)
        ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin-require' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

/** Bundles one function; returns its output path and byte size. */
export async function bundleFunction(name) {
  const entry = join(packageDir, 'src', 'handlers', `${name}.ts`);
  const outDir = join(distDir, name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, 'index.mjs');
  const result = await build({
    entryPoints: { index: entry },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    // Prefer the ESM builds of dependencies: they tree-shake far better.
    mainFields: ['module', 'main'],
    conditions: ['module', 'import'],
    // Everything is bundled (the AWS SDK included, at the lockfile's versions); only Node built-ins
    // (`node:*` and bare built-in names, which platform 'node' already treats as such) stay external.
    external: ['node:*'],
    banner: { js: banner },
    legalComments: 'external',
    metafile: true,
    plugins: [zodEnglishOnly, builtinsThroughRequire],
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  await writeFile(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith('.map'));
  const bytes = result.metafile.outputs[relative(process.cwd(), outfile)]?.bytes ?? 0;
  const totalBytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  return { name, outfile, bytes, totalBytes };
}

async function main() {
  // Every catalogue function must have a handler: infra creates a Lambda function for each entry.
  const missing = FUNCTION_NAMES.filter(
    (name) => !existsSync(join(packageDir, 'src', 'handlers', `${name}.ts`)),
  );
  if (missing.length > 0) {
    console.error(`bundle: catalogue function(s) without a handler in src/handlers: ${missing.join(', ')}`);
    process.exit(1);
  }
  const built = [];
  for (const name of FUNCTION_NAMES) built.push(await bundleFunction(name));
  console.log(`${'function'.padEnd(18)} ${'entry'.padStart(12)} ${'with chunks'.padStart(12)}`);
  for (const { name, bytes, totalBytes } of built) {
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(12);
    console.log(`${name.padEnd(18)} ${kib(bytes)} ${kib(totalBytes)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
