/**
 * CDKTF entry point (`cdktf.json` runs `node apps/infra/dist/main.js`).
 * Synthesizes every environment; `BANDUP_ENV=dev` (or the CDKTF context key `env`, see
 * apps/infra/README.md) narrows it. Needs no AWS credentials and no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize } from './synthesize.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const exitCode = synthesize({ env: process.env, defaultOutdir: path.join(repoRoot, 'cdktf.out') });
if (exitCode !== 0) process.exit(exitCode);
