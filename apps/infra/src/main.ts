/**
 * CDKTF entry point (`cdktf.json` runs `node apps/infra/dist/main.js`).
 * Synthesizes every environment; `BANDUP_ENV=dev` (or the CDKTF context key `env`, see
 * apps/infra/README.md) narrows it. Needs no AWS credentials and no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, selectEnvironments } from './config/index.js';
import { bootstrapBackendFromEnv, environmentSelector } from './selection.js';
import { StartupError } from './startup-error.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

try {
  const environments = selectEnvironments(environmentSelector(process.env));
  const { app } = buildApp({
    environments,
    outdir: process.env.CDKTF_OUTDIR ?? path.join(repoRoot, 'cdktf.out'),
    bootstrapBackend: bootstrapBackendFromEnv(process.env),
  });
  app.synth();
} catch (error) {
  // Mistakes in the command or the configuration: the message says what and where; a stack
  // trace would only bury it. Anything else is a bug and keeps its stack.
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`bandup synth: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
