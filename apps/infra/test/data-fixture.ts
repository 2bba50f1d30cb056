import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import { DEPLOY } from '../src/stacks/deployment-mode.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
export type Json = Record<string, any>;

export interface SynthesizedApp {
  /** Parsed `cdk.tf.json` of every stack, by stack id. */
  readonly stacks: Record<string, Json>;
  /** The raw text of every stack's `cdk.tf.json`, by stack id (for greps). */
  readonly raw: Record<string, string>;
}

/**
 * Synthesizes the WHOLE app (every environment, every stack, deploy mode: exactly what `cdktf
 * deploy` would apply), so cross-stack references resolve and every validation and Aspect runs:
 * `app.synth()` throws on any error annotation.
 */
export function synthWholeApp(): SynthesizedApp {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-data-test-'));
  const { app } = buildApp({ environments: selectEnvironments(undefined), mode: DEPLOY, outdir });
  app.synth();
  const stacks: Record<string, Json> = {};
  const raw: Record<string, string> = {};
  for (const id of readdirSync(path.join(outdir, 'stacks'))) {
    raw[id] = readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8');
    stacks[id] = JSON.parse(raw[id]) as Json;
  }
  return { stacks, raw };
}

/** The resources of one type, keyed by logical id. */
export function resourcesOf(stack: Json, type: string): Record<string, Json> {
  return (stack.resource?.[type] ?? {}) as Record<string, Json>;
}

/** The only resource of a type (fails when there are none or several). */
export function onlyResource(stack: Json, type: string): Json {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0] as Json;
}

/** `${aws_kms_key.<name>.arn}` for the key behind `alias/<alias>`. */
export function keyArnRef(stack: Json, alias: string): string {
  const found = Object.values(resourcesOf(stack, 'aws_kms_alias')).find((a) => a.name === `alias/${alias}`);
  const name = /\$\{aws_kms_key\.([^.}]+)\.key_id\}/.exec(found?.target_key_id ?? '')?.[1];
  if (!name) throw new Error(`no KMS alias ${alias}`);
  return `\${aws_kms_key.${name}.arn}`;
}

/** `${type.<name>.<attr>}` → name. */
export function refName(token: string): string | undefined {
  return /\$\{[a-z0-9_]+\.([^.}]+)\./.exec(token)?.[1];
}
