// Writes the published contracts (the OpenAPI document, the event schema) from the built package:
// always to dist/contracts/ (what the build ships), and with --docs also to the repository's
// docs/api/ (committed, where the backend team finds them; a test fails when they are stale).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractText, PUBLISHED_CONTRACTS } from '../dist/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = [join(packageDir, 'dist', 'contracts')];
if (process.argv.includes('--docs')) targets.push(join(packageDir, '..', '..', 'docs', 'api'));

for (const dir of targets) {
  await mkdir(dir, { recursive: true });
  for (const contract of PUBLISHED_CONTRACTS) {
    await writeFile(join(dir, contract.file), contractText(contract));
    console.log(`wrote ${join(dir, contract.file)}`);
  }
}
