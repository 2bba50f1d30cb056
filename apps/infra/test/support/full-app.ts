import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { selectEnvironments } from '../../src/config/index.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/** The whole app as synthesized: every stack's Terraform JSON by stack id, and CDKTF's manifest. */
export interface SynthesizedApp {
  readonly stacks: Record<string, Json>;
  readonly manifest: Json;
}

/**
 * Synthesizes the real, whole app (offline state, a fresh output directory) for the selected
 * environments (`'dev,prod'`; undefined: all), so every stack id, name, cross-stack reference and
 * dependency is the real one.
 */
export function synthesizeFullApp(selector: string | undefined): SynthesizedApp {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-full-app-'));
  const { app } = buildApp({
    environments: selectEnvironments(selector),
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  const dir = path.join(outdir, 'stacks');
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
  return {
    stacks: Object.fromEntries(readdirSync(dir).map((id) => [id, read(path.join(dir, id, 'cdk.tf.json'))])),
    manifest: read(path.join(outdir, 'manifest.json')),
  };
}
