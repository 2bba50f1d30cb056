/**
 * Offline plan review: `pnpm --filter @bandup/infra plan:offline` (or `pnpm plan:offline` at the root).
 * Synthesizes every environment (or `BANDUP_ENV`), then init/validate/plans each stack against the
 * local provider mirror, with no credentials and no network, and prints a per-stack summary.
 * Plan JSON: `<dir>/plans/<stack>.json` (dir: `BANDUP_PLAN_DIR`, default apps/infra/.tmp/offline-plan).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectEnvironments } from '../src/config/index.js';
import { planOffline } from '../src/review/offline-plan.js';
import { formatSummary } from '../src/review/plan-summary.js';
import { pluginMirrorDir, terraformUnavailableReason } from '../src/review/terraform-cli.js';
import { environmentSelector } from '../src/selection.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mirrorDir = pluginMirrorDir();
const unavailable = terraformUnavailableReason(mirrorDir);
if (unavailable) {
  console.error(`offline plan cannot run: ${unavailable}`);
  process.exit(2);
}
const workDir = process.env.BANDUP_PLAN_DIR ?? path.join(infraDir, '.tmp', 'offline-plan');
const { results, plansDir } = await planOffline({
  environments: selectEnvironments(environmentSelector(process.env)),
  workDir,
  mirrorDir,
  log: (line) => console.error(line),
});
for (const r of results)
  console.log(r.ok && r.summary ? formatSummary(r.stack, r.summary) : (r.error ?? `${r.stack}: failed`));
const failed = results.filter((r) => !r.ok);
console.log(
  `\n${results.length - failed.length}/${results.length} stacks validated and planned; plan JSON in ${plansDir}`,
);
process.exit(failed.length ? 1 : 0);
