import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
 * paths) and the metafile. Metafile paths are relative to where the build ran; `file` maps one to
 * the function's directory, wherever that directory is now.
 */
function loadedOutputs(functionDir: string) {
  const meta = JSON.parse(readFileSync(join(functionDir, 'meta.json'), 'utf8')) as Metafile;
  const entryKey = Object.keys(meta.outputs).find((key) => /(^|\/)index\.mjs$/.test(key));
  if (!entryKey) throw new Error(`${functionDir}/meta.json has no index.mjs output`);
  const prefix = entryKey.slice(0, -'index.mjs'.length);
  const file = (key: string) => join(functionDir, key.slice(prefix.length));
  const outputs = new Set<string>();
  const pending = [entryKey];
  while (pending.length > 0) {
    const output = pending.pop()!;
    if (outputs.has(output)) continue;
    outputs.add(output);
    for (const imported of meta.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  return { outputs, meta, file };
}

/** Source files (metafile input paths) whose code a cold start of the function evaluates or compiles. */
export function loadedInputs(functionDir: string): string[] {
  const { outputs, meta } = loadedOutputs(functionDir);
  return [...outputs].flatMap((output) => Object.keys(meta.outputs[output]?.inputs ?? {}));
}

/** Sizes of one built function, from its directory and the esbuild metafile `bundle.mjs` writes. */
export function bundleSizes(functionDir: string): BundleSizes {
  const entry = join(functionDir, 'index.mjs');
  const { outputs, file } = loadedOutputs(functionDir);
  const packageBytes = readdirSync(functionDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mjs'))
    .reduce((sum, file) => sum + statSync(join(functionDir, file)).size, 0);
  return {
    entryBytes: statSync(entry).size,
    loadedBytes: [...outputs].reduce((sum, output) => sum + statSync(file(output)).size, 0),
    packageBytes,
  };
}
