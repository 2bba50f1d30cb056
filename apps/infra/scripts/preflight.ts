/**
 * Pre-flight checks before a first deployment to an account:
 *   pnpm --filter @bandup/infra preflight              # what the environments need
 *   pnpm --filter @bandup/infra preflight -- --check   # compare with the account (AWS credentials needed)
 * Lambda concurrency: every environment deployed to one account and Region reserves from the same
 * pool; the account quota must cover the sum plus the 100 Lambda keeps unreserved.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import { concurrencyNeeds, concurrencyProblems } from '../src/preflight/lambda-concurrency.js';

const check = process.argv.includes('--check');
const environments = selectEnvironments(undefined);
const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-preflight-'));
buildApp({ environments, outdir }).app.synth();
const stacksDir = path.join(outdir, 'stacks');
const stacks = Object.fromEntries(
  readdirSync(stacksDir).map((id) => [
    id,
    JSON.parse(readFileSync(path.join(stacksDir, id, 'cdk.tf.json'), 'utf8')),
  ]),
);
const needs = concurrencyNeeds(stacks, (id) => {
  const env = environments.find((e) => id.startsWith(`bandup-${e.name}-`));
  return env ? { account: env.accountId, region: env.region } : undefined;
});
let failed = false;
for (const need of needs) {
  console.log(
    `${need.account} ${need.region}: ${need.reserved} reserved by ${need.functions.length} functions; quota needed >= ${need.requiredQuota}`,
  );
  let quota = Number.POSITIVE_INFINITY;
  if (check) {
    const out = execFileSync(
      'aws',
      [
        'lambda',
        'get-account-settings',
        '--region',
        need.region,
        '--query',
        'AccountLimit.ConcurrentExecutions',
        '--output',
        'text',
      ],
      { encoding: 'utf8' },
    );
    quota = Number(out.trim());
    console.log(`  account quota: ${quota}`);
  }
  for (const problem of concurrencyProblems(need, quota)) {
    failed = true;
    console.error(`  ${problem}`);
  }
}
process.exit(failed ? 1 : 0);
