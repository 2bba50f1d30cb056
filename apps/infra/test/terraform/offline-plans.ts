import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectEnvironments } from '../../src/config/index.js';
import { type OfflinePlanRun, planOffline } from '../../src/review/offline-plan.js';
import { pluginMirrorDir, terraformUnavailableReason } from '../../src/review/terraform-cli.js';

// biome-ignore lint/suspicious/noExplicitAny: plan JSON is untyped; tests read it by path
export type PlanJson = Record<string, any>;

/** Known directory of the offline plans: `plans/<stack>.json`, `summary.json` (git-ignored). */
const OFFLINE_PLAN_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../.tmp/offline-plan',
);

/** Why real-Terraform tests skip here (printed), or undefined when they run. */
export const terraformSkipReason = terraformUnavailableReason(pluginMirrorDir());
if (terraformSkipReason) console.warn(`[terraform tests skipped] ${terraformSkipReason}`);

let run: Promise<OfflinePlanRun> | undefined;

/** Plans every stack of every environment once per test process (synth + init/validate/plan/show). */
export function offlinePlans(): Promise<OfflinePlanRun> {
  run ??= planOffline({
    environments: selectEnvironments(undefined),
    workDir: OFFLINE_PLAN_DIR,
    mirrorDir: pluginMirrorDir(),
    concurrency: 2,
  });
  return run;
}

/** The `terraform show -json` of one stack's plan. */
export function readPlan(result: { planJsonPath?: string }): PlanJson {
  if (!result.planJsonPath) throw new Error('stack has no plan');
  return JSON.parse(readFileSync(result.planJsonPath, 'utf8')) as PlanJson;
}

/** Planned `after` values of the managed resources of one type. */
export function plannedResources(plan: PlanJson, type: string): PlanJson[] {
  return (plan.resource_changes ?? [])
    .filter((rc: PlanJson) => rc.mode === 'managed' && rc.type === type)
    .map((rc: PlanJson) => rc.change.after);
}
