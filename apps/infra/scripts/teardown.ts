/**
 * Teardown of one environment (docs/teardown.md):
 *   pnpm --filter @bandup/infra teardown -- --env dev                   # print the plan
 *   pnpm --filter @bandup/infra teardown -- --env dev --execute         # run it
 *   ... --keep-snapshot                                                 # snapshot the database first, keep its key
 * Synthesizes the environment, refuses when the synthesized Terraform is protected (prod: deletion
 * protection, prevent_destroy, recovery windows), then destroys the stacks in reverse dependency
 * order. Needs AWS credentials only with --execute.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import {
  dataKeyAddress,
  destroyOrder,
  environmentStacks,
  protectionBlockers,
  teardownSteps,
} from '../src/teardown/teardown-plan.js';

// `pnpm teardown -- --env dev` passes the `--` through.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
const { values } = parseArgs({
  args,
  options: {
    env: { type: 'string' },
    execute: { type: 'boolean', default: false },
    'keep-snapshot': { type: 'boolean', default: false },
    outdir: { type: 'string' },
  },
});
if (!values.env) {
  console.error('teardown: --env <name> is required (e.g. --env dev)');
  process.exit(1);
}
const env = values.env;
const [config] = selectEnvironments(env);
if (!config) {
  console.error(`teardown: unknown environment "${env}"`);
  process.exit(1);
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outdir = values.outdir ?? path.join(repoRoot, 'cdktf.out');
buildApp({ environments: [config], outdir }).app.synth();

const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
const order = destroyOrder(environmentStacks(manifest, env));
const stacksDir = path.join(outdir, 'stacks');
const read = (id: string) => JSON.parse(readFileSync(path.join(stacksDir, id, 'cdk.tf.json'), 'utf8'));
const blockers = order.flatMap((id) => protectionBlockers(id, read(id)));
if (blockers.length > 0) {
  console.error(`teardown: ${env} is protected; a destroy would stop at:\n  ${blockers.join('\n  ')}`);
  console.error('Remove the protections on purpose in code first (docs/teardown.md, "Prod").');
  process.exit(2);
}
const dataStack = order.find((id) => id.endsWith('-data')) as string;
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\..*$/, '')
  .replace('T', '-')
  .toLowerCase();
const steps = teardownSteps({
  env,
  stacksDir,
  order,
  region: config.region,
  keepSnapshot: values['keep-snapshot']
    ? { dbInstance: `bandup-${env}-postgres`, stamp, dataKeyAddress: dataKeyAddress(read(dataStack), env) }
    : undefined,
});
for (const [i, step] of steps.entries()) {
  console.log(`${i + 1}. ${step.why}\n   ${step.command.join(' ')}`);
  if (values.execute) execFileSync(step.command[0] as string, step.command.slice(1), { stdio: 'inherit' });
}
if (!values.execute) console.log('\nNothing was run (add --execute).');
