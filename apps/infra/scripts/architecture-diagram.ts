/**
 * `pnpm docs:diagram` regenerates docs/architecture.{dot,svg} from the synthesized prod stacks;
 * `--check` only compares and exits 1 when the committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGRAM_FILES, generateArchitectureDiagram } from '../src/diagram/architecture-diagram.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const check = process.argv.includes('--check');
const { dot, svg } = await generateArchitectureDiagram();
const files = { [DIAGRAM_FILES.dot]: dot, [DIAGRAM_FILES.svg]: svg };

let stale = 0;
for (const [relative, content] of Object.entries(files)) {
  const file = path.join(repoRoot, relative);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: stale
  }
  if (current === content) continue;
  stale += 1;
  if (check) console.error(`${relative} is stale: run \`pnpm docs:diagram\` and commit it`);
  else {
    writeFileSync(file, content);
    console.log(`wrote ${relative}`);
  }
}
if (check && stale > 0) process.exit(1);
if (stale === 0) console.log('architecture diagram is current');
