import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Largest entry file (`dist/<function>/index.mjs`) a function may have. */
export const ENTRY_BUDGET_BYTES = 300 * 1024;

export interface BundleSizes {
  /** `index.mjs` alone. */
  readonly entryBytes: number;
  /**
   * The entry plus every chunk it imports statically: what a cold start reads and compiles. Chunks
   * reached only through `import()` are left out (loaded on first use).
   */
  readonly loadedBytes: number;
  /** Every `.mjs` of the function (the deployment package without source maps). */
  readonly packageBytes: number;
}

interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly bytes: number;
      readonly inputs: Record<string, unknown>;
      readonly imports: { path: string; kind: string; external?: boolean }[];
    }
  >;
}

/**
 * The output files a cold start of the function loads (entry and static chunk imports, as metafile
 * paths relative to the package directory, where the build ran) and the metafile.
 */
function loadedOutputs(functionDir: string): { readonly outputs: Set<string>; readonly meta: Metafile } {
  const meta = JSON.parse(readFileSync(join(functionDir, 'meta.json'), 'utf8')) as Metafile;
  const packageDir = resolve(functionDir, '..', '..');
  const outputs = new Set<string>();
  const pending = [relative(packageDir, join(functionDir, 'index.mjs'))];
  while (pending.length > 0) {
    const output = pending.pop()!;
    if (outputs.has(output)) continue;
    outputs.add(output);
    for (const imported of meta.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  return { outputs, meta };
}

/** Source files (metafile input paths) whose code a cold start of the function evaluates or compiles. */
export function loadedInputs(functionDir: string): string[] {
  const { outputs, meta } = loadedOutputs(functionDir);
  return [...outputs].flatMap((output) => Object.keys(meta.outputs[output]?.inputs ?? {}));
}

/** Sizes of one built function, from its directory and the esbuild metafile `bundle.mjs` writes. */
export function bundleSizes(functionDir: string): BundleSizes {
  const entry = join(functionDir, 'index.mjs');
  const packageDir = resolve(functionDir, '..', '..');
  const seen = loadedOutputs(functionDir).outputs;
  const packageBytes = readdirSync(functionDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mjs'))
    .reduce((sum, file) => sum + statSync(join(functionDir, file)).size, 0);
  return {
    entryBytes: statSync(entry).size,
    loadedBytes: [...seen].reduce((sum, output) => sum + statSync(join(packageDir, output)).size, 0),
    packageBytes,
  };
}
