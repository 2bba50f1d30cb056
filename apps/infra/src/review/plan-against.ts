import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type StateDocument, stateFromPlan } from './converged-state.js';
import type { Json } from './plan-json.js';
import { loadResourceSchemas, type ResourceSchemas } from './provider-schema.js';
import { copyInitialization, localStatePath, type SynthesizedApp } from './stack-workspace.js';
import { runTerraform, type TerraformCli } from './terraform-cli.js';

/**
 * Reviewing a change offline against the previous state (`--against`):
 *
 * 1. `convergeBaseline`: plan every stack of the baseline synth (producers first), turn each plan
 *    into a state (converged-state.ts), write it as the stack's local state, and re-plan until
 *    Terraform says "No changes" (exit 0 of `-detailed-exitcode`). Consumers then read their
 *    producers' converged outputs through `terraform_remote_state`, as after a real apply.
 * 2. `planChanges`: plan each stack of the changed synth (same state files) and keep
 *    `show -json` of the plan, or the `plan -json` log of a plan that failed (e.g. on
 *    `prevent_destroy`): the inputs of the review, with real updates, replacements and destroys.
 *
 * Nothing reaches AWS: mirror-only providers, mock credentials, `-refresh=false`.
 */
export interface ConvergedBaseline {
  /** `show -json` of each stack's final ("No changes") plan. */
  readonly finalPlans: ReadonlyMap<string, string>;
  /** Plans it took per stack (1 = the first state was already converged). */
  readonly iterations: ReadonlyMap<string, number>;
  readonly reused: boolean;
}

export interface ConvergeOptions {
  readonly baseline: SynthesizedApp;
  readonly cli: TerraformCli;
  /** Holds `converged.json`, the schema cache and per-stack final plans. */
  readonly workDir: string;
  readonly maxIterations?: number;
  readonly log?: (line: string) => void;
}

const MARKER = 'converged.json';
/**
 * Part of every converged-state key: raise it when the state built from the same plan changes
 * (converged-state.ts, remote-state-seed.ts), so that states built by an older version are not reused.
 */
const CONVERGER_VERSION = 2;

/** Fingerprint of a synth: a converged state is reused only for the same baseline configuration. */
export function synthFingerprint(app: SynthesizedApp): string {
  const h = createHash('sha256').update(`converger ${CONVERGER_VERSION}\n`);
  for (const id of app.order) h.update(`${id}\n${JSON.stringify(app.configOf(id))}\n`);
  return h.digest('hex');
}

export async function convergeBaseline(options: ConvergeOptions): Promise<ConvergedBaseline> {
  const { baseline, cli, workDir } = options;
  const log = options.log ?? (() => {});
  mkdirSync(workDir, { recursive: true });
  const fingerprint = synthFingerprint(baseline);
  const markerFile = path.join(workDir, MARKER);
  const finalPlanOf = (id: string) => path.join(workDir, 'final-plans', `${id}.json`);
  if (existsSync(markerFile)) {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as {
      fingerprint: string;
      iterations: Record<string, number>;
    };
    const statesPresent = baseline.order.every((id) => existsSync(localStatePath(baseline.configOf(id), id)));
    if (marker.fingerprint === fingerprint && statesPresent) {
      log('baseline: converged state reused (same configuration)');
      // A re-synth may have removed Terraform's working files (see keepInitialization).
      for (const id of baseline.order)
        if (!existsSync(path.join(baseline.dirOf(id), '.terraform')))
          await initialize(cli, baseline.dirOf(id), id);
      return {
        finalPlans: new Map(baseline.order.map((id) => [id, finalPlanOf(id)])),
        iterations: new Map(Object.entries(marker.iterations)),
        reused: true,
      };
    }
  }
  mkdirSync(path.join(workDir, 'final-plans'), { recursive: true });
  let schemas: ResourceSchemas | undefined;
  const iterations = new Map<string, number>();
  const max = options.maxIterations ?? 6;
  const stackKeys = new Map<string, string>();
  for (const id of baseline.order) {
    const dir = baseline.dirOf(id);
    const config = baseline.configOf(id);
    const statePath = localStatePath(config, id);
    // A stack converged earlier (same configuration, same producers) is kept: a run that stopped
    // midway resumes at the first stack not converged.
    const key = createHash('sha256')
      .update(`converger ${CONVERGER_VERSION}\n`)
      .update(JSON.stringify(config))
      .update(
        baseline
          .dependenciesOf(id)
          .map((d) => stackKeys.get(d))
          .join(','),
      )
      .digest('hex');
    stackKeys.set(id, key);
    const stackMarker = path.join(workDir, 'final-plans', `${id}.key`);
    await initialize(cli, dir, id);
    if (existsSync(stackMarker) && existsSync(statePath) && existsSync(finalPlanOf(id))) {
      const done = JSON.parse(readFileSync(stackMarker, 'utf8')) as { key: string; iterations: number };
      if (done.key === key) {
        iterations.set(id, done.iterations);
        log(`${id}: converged state kept`);
        continue;
      }
    }
    schemas ??= await loadResourceSchemas(cli, dir, workDir);
    const { accountId, region } = accountOf(config, id);
    // Start from no state: a state left by a run that failed midway may not fit this configuration.
    rmSync(statePath, { force: true });
    let state: StateDocument | undefined;
    let converged = false;
    for (let i = 1; i <= max; i++) {
      const plan = await terraform(
        cli,
        dir,
        [
          'plan',
          '-refresh=false',
          '-input=false',
          '-lock=false',
          '-no-color',
          '-detailed-exitcode',
          '-out=tfplan',
        ],
        id,
        [0, 2],
      );
      const show = await terraform(cli, dir, ['show', '-json', '-no-color', 'tfplan'], id);
      if (plan.code === 0) {
        writeFileSync(finalPlanOf(id), show.stdout);
        writeFileSync(stackMarker, JSON.stringify({ key, iterations: i }));
        iterations.set(id, i);
        converged = true;
        log(`${id}: converged after ${i} plan(s)`);
        break;
      }
      state = stateFromPlan(JSON.parse(show.stdout), { schemas, accountId, region, config }, state);
      mkdirSync(path.dirname(statePath), { recursive: true });
      writeFileSync(statePath, `${JSON.stringify(state, null, 1)}\n`);
    }
    if (!converged) {
      const plan = await runTerraform(cli, dir, [
        'plan',
        '-refresh=false',
        '-input=false',
        '-lock=false',
        '-no-color',
      ]);
      throw new Error(
        `${id}: the baseline state did not converge in ${max} plans; still planned:\n${plan.stdout.slice(0, 4000)}`,
      );
    }
  }
  writeFileSync(
    markerFile,
    `${JSON.stringify({ fingerprint, iterations: Object.fromEntries(iterations) }, null, 2)}\n`,
  );
  return {
    finalPlans: new Map(baseline.order.map((id) => [id, finalPlanOf(id)])),
    iterations,
    reused: false,
  };
}

export interface ChangePlanResult {
  readonly stack: string;
  readonly outcome: 'unchanged' | 'planned' | 'failed';
}

/**
 * Plans the changed synth against the converged baseline state; writes `<plansDir>/<stack>.json`
 * (plan) or `<stack>.plan-log.jsonl` (a failed plan's `terraform plan -json` output). A stack
 * whose configuration is identical to the baseline gets the baseline's final "No changes" plan.
 */
export async function planChanges(
  baseline: SynthesizedApp,
  converged: ConvergedBaseline,
  changed: SynthesizedApp,
  cli: TerraformCli,
  plansDir: string,
  log: (line: string) => void = () => {},
): Promise<ChangePlanResult[]> {
  mkdirSync(plansDir, { recursive: true });
  const results: ChangePlanResult[] = [];
  for (const id of changed.order) {
    const dir = changed.dirOf(id);
    const inBaseline = baseline.order.includes(id);
    if (inBaseline && JSON.stringify(baseline.configOf(id)) === JSON.stringify(changed.configOf(id))) {
      const finalPlan = converged.finalPlans.get(id);
      if (finalPlan && existsSync(finalPlan)) {
        writeFileSync(path.join(plansDir, `${id}.json`), readFileSync(finalPlan));
        results.push({ stack: id, outcome: 'unchanged' });
        continue;
      }
    }
    if (!(inBaseline && copyInitialization(baseline.dirOf(id), dir))) await initialize(cli, dir, id);
    const plan = await runTerraform(cli, dir, [
      'plan',
      '-refresh=false',
      '-input=false',
      '-lock=false',
      '-json',
      '-out=tfplan',
    ]);
    if (plan.code !== 0) {
      writeFileSync(path.join(plansDir, `${id}.plan-log.jsonl`), plan.stdout);
      results.push({ stack: id, outcome: 'failed' });
      log(`${id}: plan failed (diagnostics kept for the review)`);
      continue;
    }
    const show = await terraform(cli, dir, ['show', '-json', '-no-color', 'tfplan'], id);
    writeFileSync(path.join(plansDir, `${id}.json`), show.stdout);
    results.push({ stack: id, outcome: 'planned' });
    log(`${id}: planned`);
  }
  return results;
}

async function initialize(cli: TerraformCli, dir: string, id: string): Promise<void> {
  await terraform(cli, dir, ['init', '-input=false', '-no-color'], id);
}

async function terraform(
  cli: TerraformCli,
  dir: string,
  args: string[],
  id: string,
  ok: readonly number[] = [0],
) {
  const r = await runTerraform(cli, dir, args);
  if (!ok.includes(r.code))
    throw new Error(`${id}: terraform ${args[0]} failed:\n${(r.stderr || r.stdout).trim().slice(0, 4000)}`);
  return r;
}

/**
 * Account and region of a stack, for the shape of synthetic ARNs: the provider's region and
 * `allowed_account_ids` (deploy mode), else the account most ARNs in the configuration name.
 */
function accountOf(config: Json, id: string): { accountId: string; region: string } {
  const providers = Array.isArray(config.provider?.aws) ? config.provider.aws : [config.provider?.aws];
  const provider = providers.find((p: Json) => p && !p.alias);
  const region = provider?.region;
  if (typeof region !== 'string') throw new Error(`${id}: the aws provider has no region`);
  const counts = new Map<string, number>();
  for (const m of JSON.stringify(config).matchAll(/arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g))
    counts.set(m[1] as string, (counts.get(m[1] as string) ?? 0) + 1);
  const fromArns = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const accountId = provider?.allowed_account_ids?.[0] ?? fromArns ?? '000000000000';
  return { accountId, region };
}
