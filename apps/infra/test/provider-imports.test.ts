import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

describe('AWS provider imports', () => {
  it('name a submodule file (lib/<x>/index.js): never the package root, never a directory', () => {
    // The root costs ~8 s and 700 MB; a directory import fails at runtime (`node dist/main.js`,
    // ERR_UNSUPPORTED_DIR_IMPORT) even though vitest resolves it.
    const bad: string[] = [];
    for (const file of files(srcDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(@cdktf\/provider-aws[^']*)'/g)) {
        if (!/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+\/index\.js$/.test(m[1] as string)) {
          bad.push(`${path.relative(srcDir, file)}: ${m[1]}`);
        }
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
