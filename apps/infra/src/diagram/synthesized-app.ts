import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A Terraform JSON value as CDKTF writes it. */
export type TfJson = { readonly [key: string]: unknown };

/** One synthesized stack: its `cdk.tf.json` and the stacks it depends on. */
export interface SynthesizedStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly config: TfJson;
}

interface Manifest {
  readonly stacks: Record<
    string,
    { readonly dependencies?: string[]; readonly synthesizedStackPath: string }
  >;
}

/** Reads every stack of a CDKTF output folder (`cdktf.out`) through its manifest. */
export function readSynthesizedApp(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.stacks)
    .map(([name, entry]) => ({
      name,
      dependencies: [...(entry.dependencies ?? [])].sort(),
      config: JSON.parse(readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8')) as TfJson,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The resources of one type in a stack, by logical id. */
export function resourcesOfType(stack: SynthesizedStack, type: string): Record<string, TfJson> {
  const resources = (stack.config.resource ?? {}) as Record<string, Record<string, TfJson>>;
  return resources[type] ?? {};
}

/** Every resource of a stack as `[type, logicalId, body]`, in a stable order. */
export function allResources(stack: SynthesizedStack): [string, string, TfJson][] {
  const resources = (stack.config.resource ?? {}) as Record<string, Record<string, TfJson>>;
  return Object.keys(resources)
    .sort()
    .flatMap((type) =>
      Object.keys(resources[type] ?? {})
        .sort()
        .map((id) => [type, id, resources[type]?.[id] as TfJson] as [string, string, TfJson]),
    );
}
