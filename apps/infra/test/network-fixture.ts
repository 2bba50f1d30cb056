import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { dev } from '../src/config/dev.js';
import { type EnvironmentConfig, type EnvironmentInput, loadEnvironment } from '../src/config/index.js';
import { prod } from '../src/config/prod.js';
import { NetworkStack } from '../src/stacks/network/network-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
export type Json = Record<string, any>;

export const devConfig = (): EnvironmentConfig => loadEnvironment(dev);
export const prodConfig = (): EnvironmentConfig => loadEnvironment(prod);
export const configWith = (patch: (input: EnvironmentInput) => EnvironmentInput): EnvironmentConfig =>
  loadEnvironment(patch(structuredClone(dev)));

/** Synthesizes one network stack in a full app (so validations run) and returns its cdk.tf.json. */
export function synthNetwork(config: EnvironmentConfig): Json {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-net-test-'));
  const app = new App({ outdir });
  const stack = new NetworkStack(app, { config, mode: { kind: 'deploy' } });
  app.synth();
  return JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Json;
}

/** The resources of one type, keyed by logical id. */
export function resourcesOf(stack: Json, type: string): Record<string, Json> {
  return (stack.resource?.[type] ?? {}) as Record<string, Json>;
}

/** `${aws_x.name.attr}` → `name`. */
export function refName(token: string): string | undefined {
  return /\$\{[a-z0-9_]+\.([^.}]+)\./.exec(token)?.[1];
}
