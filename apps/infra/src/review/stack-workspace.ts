import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './plan-json.js';

/** One synthesized app on disk (`manifest.json` + `stacks/<id>/cdk.tf.json`). */
export interface SynthesizedApp {
  readonly outdir: string;
  /** Stack ids, producers before consumers. */
  readonly order: readonly string[];
  dirOf(stack: string): string;
  configOf(stack: string): Json;
  dependenciesOf(stack: string): readonly string[];
}

export function readSynthesizedApp(outdir: string, only?: ReadonlySet<string>): SynthesizedApp {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${outdir}: no manifest.json (synthesis failed?)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    stacks: Record<string, { dependencies?: string[]; workingDirectory?: string }>;
  };
  const ids = Object.keys(manifest.stacks).filter((id) => !only || only.has(id));
  const dependenciesOf = (id: string) =>
    (manifest.stacks[id]?.dependencies ?? []).filter((d) => ids.includes(d));
  const order: string[] = [];
  const visit = (id: string, trail: readonly string[]) => {
    if (order.includes(id)) return;
    if (trail.includes(id)) throw new Error(`stack dependency cycle through ${id}`);
    for (const d of dependenciesOf(id)) visit(d, [...trail, id]);
    order.push(id);
  };
  for (const id of ids.sort()) visit(id, []);
  const dirOf = (id: string) => path.join(outdir, manifest.stacks[id]?.workingDirectory ?? `stacks/${id}`);
  const configs = new Map<string, Json>();
  return {
    outdir,
    order,
    dirOf,
    dependenciesOf,
    configOf: (id) => {
      if (!configs.has(id))
        configs.set(id, JSON.parse(readFileSync(path.join(dirOf(id), 'cdk.tf.json'), 'utf8')));
      return configs.get(id);
    },
  };
}

/**
 * Reuses an initialized stack directory's `.terraform` (provider links, backend hash) and lock
 * file for the same stack in another synth with the same backend: `terraform init` costs tens of
 * seconds per stack on a busy machine and would produce the same files.
 */
export function copyInitialization(fromDir: string, toDir: string): boolean {
  const dotTerraform = path.join(fromDir, '.terraform');
  if (!existsSync(dotTerraform)) return false;
  cpSync(dotTerraform, path.join(toDir, '.terraform'), { recursive: true, verbatimSymlinks: true });
  const lock = path.join(fromDir, '.terraform.lock.hcl');
  if (existsSync(lock)) cpSync(lock, path.join(toDir, '.terraform.lock.hcl'));
  return true;
}

/** The backend state file of an offline-synthesized stack. */
export function localStatePath(config: Json, stack: string): string {
  const file = config.terraform?.backend?.local?.path;
  if (typeof file !== 'string')
    throw new Error(`${stack}: not synthesized in offline mode (no local backend path)`);
  return file;
}

/**
 * Runs `synth` (which replaces `outdir`) keeping each stack directory's Terraform working files
 * (`.terraform`, `.terraform.lock.hcl`): the stack directories are keyed by stack id and the
 * backend path does not change, so a later plan needs no new `terraform init` (tens of seconds
 * per stack on a busy machine). Terraform re-checks them at the next `init` anyway.
 */
export function keepInitialization(outdir: string, synth: () => void): void {
  const stacksDir = path.join(outdir, 'stacks');
  const aside = `${outdir}.terraform-kept`;
  rmSync(aside, { recursive: true, force: true });
  const kept: string[] = [];
  for (const id of existsSync(stacksDir) ? readdirSync(stacksDir) : []) {
    for (const file of ['.terraform', '.terraform.lock.hcl']) {
      const from = path.join(stacksDir, id, file);
      if (!existsSync(from)) continue;
      mkdirSync(path.join(aside, id), { recursive: true });
      renameSync(from, path.join(aside, id, file));
      kept.push(path.join(id, file));
    }
  }
  try {
    synth();
  } finally {
    for (const rel of kept) {
      const to = path.join(stacksDir, rel);
      if (existsSync(path.dirname(to)) && !existsSync(to)) renameSync(path.join(aside, rel), to);
    }
    rmSync(aside, { recursive: true, force: true });
  }
}
