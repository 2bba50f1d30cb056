import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './plan-json.js';

/**
 * What the synthesized app (`cdktf.out`) tells the review that a plan does not: each resource's
 * construct path (from CDKTF's `//` metadata), its `prevent_destroy`, and which stacks consume
 * which cross-stack output (`data.terraform_remote_state.cross-stack-reference-input-<producer>`).
 */
interface SynthResource {
  readonly constructPath: string;
  readonly preventDestroy: boolean;
}

export interface SynthIndex {
  /** Stack ids in the synthesized app. */
  readonly stacks: readonly string[];
  resource(stack: string, address: string): SynthResource | undefined;
  /** Stacks reading `output` of `producer` (sorted). */
  consumersOf(producer: string, output: string): string[];
  /** The configured expression of an attribute (`"${aws_x.y.arn}"`), as synthesized. */
  expression(stack: string, address: string, attribute: string): Json;
  /** The resource's synthesized configuration block. */
  config(stack: string, address: string): Json;
}

export const EMPTY_SYNTH_INDEX: SynthIndex = {
  stacks: [],
  resource: () => undefined,
  consumersOf: () => [],
  expression: () => undefined,
  config: () => undefined,
};

/** Index over synthesized stacks given as `stack id -> cdk.tf.json` documents. */
export function synthIndexOf(stacks: Readonly<Record<string, Json>>): SynthIndex {
  const resources = new Map<string, SynthResource>();
  const configs = new Map<string, Json>();
  const texts = new Map<string, string>();
  for (const [stack, doc] of Object.entries(stacks)) {
    texts.set(stack, JSON.stringify(doc));
    for (const [type, byName] of Object.entries<Json>(doc.resource ?? {})) {
      for (const [name, resource] of Object.entries<Json>(byName ?? {})) {
        configs.set(`${stack}\u0000${type}.${name}`, resource);
        resources.set(`${stack}\u0000${type}.${name}`, {
          constructPath: resource?.['//']?.metadata?.path ?? `${stack}/${name}`,
          preventDestroy: resource?.lifecycle?.prevent_destroy === true,
        });
      }
    }
  }
  return {
    stacks: Object.keys(stacks).sort(),
    resource: (stack, address) => resources.get(`${stack}\u0000${baseAddress(address)}`),
    config: (stack, address) => configs.get(`${stack}\u0000${baseAddress(address)}`),
    expression: (stack, address, attribute) =>
      configs.get(`${stack}\u0000${baseAddress(address)}`)?.[attribute],
    consumersOf: (producer, output) => {
      const needle = `cross-stack-reference-input-${producer}.outputs.${output}`;
      return [...texts.entries()]
        .filter(([stack, text]) => stack !== producer && containsReference(text, needle))
        .map(([stack]) => stack)
        .sort();
    },
  };
}

/** The reference must end at the output name (`.outputs.x` must not match `.outputs.xy`). */
function containsReference(text: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return false;
    const next = text[at + needle.length];
    if (next === undefined || !/[A-Za-z0-9_-]/.test(next)) return true;
    from = at + needle.length;
  }
}

/** `aws_x.name[0]` / `aws_x.name["k"]` -> `aws_x.name` (CDKTF metadata is per resource block). */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/** Reads `<dir>/manifest.json` and every stack's `cdk.tf.json`; a missing manifest is an error. */
export function readSynthIndex(dir: string): SynthIndex {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new Error(`--synth-dir ${dir}: no manifest.json (run pnpm synth first)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    stacks?: Record<string, { synthesizedStackPath?: string; workingDirectory?: string }>;
  };
  const docs: Record<string, Json> = {};
  for (const [id, entry] of Object.entries(manifest.stacks ?? {})) {
    const file = path.join(dir, entry.synthesizedStackPath ?? `stacks/${id}/cdk.tf.json`);
    if (!existsSync(file)) throw new Error(`--synth-dir ${dir}: ${id} has no ${file}`);
    docs[id] = JSON.parse(readFileSync(file, 'utf8'));
  }
  return synthIndexOf(docs);
}
