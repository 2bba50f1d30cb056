import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../app.js';
import type { EnvironmentConfig } from '../config/index.js';
import { BandupStack } from '../stacks/bandup-stack.js';
import { type PlanSummary, summarisePlan } from './plan-summary.js';
import {
  type AttributeTypes,
  attributeTypesFromSchema,
  seededState,
  writeSeededState,
} from './remote-state-seed.js';
import { prepareTerraformCli, runTerraform, type TerraformCli } from './terraform-cli.js';

type Phase = 'init' | 'validate' | 'plan' | 'show';

interface StackPlanResult {
  readonly stack: string;
  readonly ok: boolean;
  /** The phase that failed (absent when ok). */
  readonly failedPhase?: Phase;
  /** Terraform's diagnostics of the failed phase. */
  readonly error?: string;
  /** `terraform show -json` of the plan (when ok): `<workDir>/plans/<stack>.json`. */
  readonly planJsonPath?: string;
  readonly summary?: PlanSummary;
}

export interface OfflinePlanOptions {
  readonly environments: readonly EnvironmentConfig[];
  /** Everything goes here: `stacks/` (synth), `state/`, `plans/<stack>.json`, `summary.json`. */
  readonly workDir: string;
  /** Filesystem mirror holding `registry.terraform.io/hashicorp/aws`. */
  readonly mirrorDir: string;
  /** Stacks run at once (each Terraform command loads a 700 MB provider). Default 2. */
  readonly concurrency?: number;
  /** Progress lines (`bandup-dev-network: plan ok`). */
  readonly log?: (line: string) => void;
}

export interface OfflinePlanRun {
  readonly results: readonly StackPlanResult[];
  readonly plansDir: string;
}

/**
 * Offline plan review of the whole app: synthesizes every stack in offline mode (local state, mock
 * credentials, provider skip flags), then for each stack, in dependency order and `concurrency` at
 * a time: `terraform init` from the local mirror only, `terraform validate`, `terraform plan
 * -refresh=false -out`, `terraform show -json`. Producers' state files are seeded with synthetic
 * outputs first so consumers' `terraform_remote_state` resolves (see remote-state-seed.ts).
 * Nothing reaches AWS or the network.
 */
export async function planOffline(options: OfflinePlanOptions): Promise<OfflinePlanRun> {
  const log = options.log ?? (() => {});
  const workDir = path.resolve(options.workDir);
  const outdir = path.join(workDir, 'synth');
  const stateDir = path.join(workDir, 'state');
  const plansDir = path.join(workDir, 'plans');
  for (const dir of [outdir, stateDir, plansDir]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(plansDir, { recursive: true });

  const { app } = buildApp({
    environments: options.environments,
    mode: { kind: 'offline', stateDir },
    outdir,
  });
  app.synth();
  const stacks = app.node.children.filter((c): c is BandupStack => c instanceof BandupStack);
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<
      string,
      { dependencies: string[]; workingDirectory: string; synthesizedStackPath: string }
    >;
  };

  const cli = prepareTerraformCli(workDir, options.mirrorDir);
  const dirOf = (id: string) => path.join(outdir, manifest.stacks[id]?.workingDirectory ?? `stacks/${id}`);
  const configOf = (id: string) => JSON.parse(readFileSync(path.join(dirOf(id), 'cdk.tf.json'), 'utf8'));

  // Provider schema (attribute types) for seeding: from the first stack, once per work dir.
  const types = await loadAttributeTypes(cli, workDir, dirOf(stacks[0]?.node.id ?? ''), log);
  for (const stack of stacks) {
    const config = configOf(stack.node.id);
    if (!config.output) continue;
    const backendPath = config.terraform?.backend?.local?.path as string | undefined;
    if (!backendPath) throw new Error(`${stack.node.id}: offline synth has no local backend path`);
    writeSeededState(
      backendPath,
      seededState(config, types, { accountId: stack.accountId, region: stack.region }),
    );
  }

  const results = new Map<string, StackPlanResult>();
  const order = topologicalOrder(
    stacks.map((s) => s.node.id),
    (id) => manifest.stacks[id]?.dependencies ?? [],
  );
  const pending = [...order];
  const running = new Map<string, Promise<void>>();
  const concurrency = Math.max(1, options.concurrency ?? 2);
  while (pending.length > 0 || running.size > 0) {
    // Start the next stack whose producers are done (their results, ok or not, are recorded).
    const nextIndex = pending.findIndex((id) =>
      (manifest.stacks[id]?.dependencies ?? []).every((d) => results.has(d)),
    );
    if (running.size < concurrency && nextIndex >= 0) {
      const id = pending.splice(nextIndex, 1)[0] as string;
      running.set(
        id,
        planStack(cli, id, dirOf(id), plansDir).then((result) => {
          results.set(id, result);
          running.delete(id);
          log(result.ok ? `${id}: validate + plan ok` : `${id}: ${result.failedPhase} FAILED`);
        }),
      );
      continue;
    }
    await Promise.race(running.values());
  }

  const ordered = order.map((id) => results.get(id) as StackPlanResult);
  writeFileSync(path.join(workDir, 'summary.json'), `${JSON.stringify(ordered, null, 2)}\n`);
  return { results: ordered, plansDir };
}

async function planStack(
  cli: TerraformCli,
  stack: string,
  dir: string,
  plansDir: string,
): Promise<StackPlanResult> {
  const fail = (failedPhase: Phase, r: { stderr: string; stdout: string }): StackPlanResult => ({
    stack,
    ok: false,
    failedPhase,
    error: `${stack}: terraform ${failedPhase} failed\n${(r.stderr || r.stdout).trim()}`,
  });
  const init = await runTerraform(cli, dir, ['init', '-input=false', '-no-color']);
  if (init.code !== 0) return fail('init', init);
  const validate = await runTerraform(cli, dir, ['validate', '-no-color']);
  if (validate.code !== 0) return fail('validate', validate);
  const plan = await runTerraform(cli, dir, [
    'plan',
    '-refresh=false',
    '-input=false',
    '-lock=false',
    '-no-color',
    '-out=tfplan',
  ]);
  if (plan.code !== 0) return fail('plan', plan);
  const show = await runTerraform(cli, dir, ['show', '-json', '-no-color', 'tfplan']);
  if (show.code !== 0) return fail('show', show);
  const planJsonPath = path.join(plansDir, `${stack}.json`);
  writeFileSync(planJsonPath, show.stdout);
  return { stack, ok: true, planJsonPath, summary: summarisePlan(JSON.parse(show.stdout)) };
}

async function loadAttributeTypes(
  cli: TerraformCli,
  workDir: string,
  firstStackDir: string,
  log: (line: string) => void,
): Promise<AttributeTypes> {
  const cache = path.join(workDir, 'aws-attribute-types.json');
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as AttributeTypes;
  log('reading the AWS provider schema (once per work dir)');
  const init = await runTerraform(cli, firstStackDir, ['init', '-input=false', '-no-color']);
  if (init.code !== 0) throw new Error(`terraform init (for the provider schema) failed:\n${init.stderr}`);
  const schema = await runTerraform(cli, firstStackDir, ['providers', 'schema', '-json']);
  if (schema.code !== 0) throw new Error(`terraform providers schema failed:\n${schema.stderr}`);
  const types = attributeTypesFromSchema(JSON.parse(schema.stdout));
  writeFileSync(cache, JSON.stringify(types));
  return types;
}

/** Stack ids with every producer before its consumers (stable: app order otherwise). */
export function topologicalOrder(
  ids: readonly string[],
  dependencies: (id: string) => readonly string[],
): string[] {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`stack dependency cycle through ${id}`);
    visiting.add(id);
    for (const dep of dependencies(id)) visit(dep);
    visiting.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const id of ids) visit(id);
  return order;
}
