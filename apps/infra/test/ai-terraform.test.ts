import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKER_FUNCTIONS } from '@bandup/shared';
import { App } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentConfig, selectEnvironments } from '../src/config/index.js';
import type { Grantee } from '../src/constructs/security/iam/policy-document.js';
import { type AiDataInputs, AiStack } from '../src/stacks/ai/ai-stack.js';
import type { Json } from './ai-fixture.js';

/*
 * Real Terraform against the real AWS provider schema (the 5.100.0 filesystem mirror), offline:
 * `terraform validate` and `terraform plan` of bandup-dev-ai and bandup-prod-ai with the real worker
 * bundles as assets. The data stack's outputs are given as literal ARNs and names (a stand-in with
 * the same shape), so the AI stack plans on its own without an applied upstream state.
 */

const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const terraformMissing = (() => {
  if (spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0)
    return 'terraform is not on PATH';
  if (!existsSync(path.join(PLUGIN_DIR, 'registry.terraform.io/hashicorp/aws'))) {
    return `no hashicorp/aws provider mirror under ${PLUGIN_DIR} (set TF_PLUGIN_DIR)`;
  }
  return undefined;
})();
if (terraformMissing) console.warn(`ai-terraform tests skipped: ${terraformMissing}`);

/** Literal stand-ins for the data stack's keys, bucket and secret (shapes of the real ones). */
function literalData(config: EnvironmentConfig): AiDataInputs {
  const { accountId, region } = config;
  const key = (id: string) => {
    const arn = `arn:aws:kms:${region}:${accountId}:key/${id}`;
    return {
      arn,
      grantEncryptDecrypt: (g: Grantee) =>
        g.addToPolicy({ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], resources: [arn] }),
      grantDecrypt: (g: Grantee) => g.addToPolicy({ actions: ['kms:Decrypt'], resources: [arn] }),
    };
  };
  const bucket = `bandup-${config.name}-uploads-${accountId}`;
  const objects = (prefix = '') => `arn:aws:s3:::${bucket}/${prefix}*`;
  return {
    keys: {
      data: key('11111111-1111-1111-1111-111111111111'),
      logs: key('22222222-2222-2222-2222-222222222222'),
      secrets: key('33333333-3333-3333-3333-333333333333'),
    },
    buckets: {
      uploads: {
        name: bucket,
        arn: `arn:aws:s3:::${bucket}`,
        grantRead: (g: Grantee, prefix?: string) =>
          g.addToPolicy({ actions: ['s3:GetObject'], resources: [objects(prefix)] }),
        grantWrite: (g: Grantee, prefix?: string) =>
          g.addToPolicy({ actions: ['s3:PutObject'], resources: [objects(prefix)] }),
        grantList: (g: Grantee) =>
          g.addToPolicy({ actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${bucket}`] }),
      },
    },
    secrets: {
      gemini: {
        arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:bandup/${config.name}/ai/gemini-api-key-AbCdEf`,
      },
    },
  };
}

const configs = selectEnvironments('dev,prod');
let outdir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (terraformMissing) return;
  outdir = mkdtempSync(path.join(tmpdir(), 'bandup-ai-tf-'));
  const app = new App({ outdir });
  for (const config of configs) {
    new AiStack(app, {
      config,
      mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
      data: literalData(config),
    });
  }
  app.synth();
  const cliConfig = path.join(outdir, 'terraformrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror { path = "${PLUGIN_DIR}" }\n  direct { exclude = ["*/*/*"] }\n}\n`,
  );
  env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
});

function terraform(stackId: string, args: string[]): string {
  return execFileSync('terraform', args, {
    cwd: path.join(outdir, 'stacks', stackId),
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe.skipIf(terraformMissing !== undefined).each(configs.map((c) => c.name))(
  'bandup-%s-ai with real Terraform',
  (name) => {
    const stackId = `bandup-${name}-ai`;

    it('validates and plans offline, creating every catalogue function from its bundle', () => {
      terraform(stackId, ['init', '-input=false', '-no-color']);
      const validation = JSON.parse(terraform(stackId, ['validate', '-json', '-no-color'])) as Json;
      expect(validation.diagnostics).toEqual([]);
      expect(validation.valid).toBe(true);

      terraform(stackId, [
        'plan',
        '-input=false',
        '-no-color',
        '-refresh=false',
        '-lock=false',
        '-out=plan.bin',
      ]);
      const plan = JSON.parse(terraform(stackId, ['show', '-json', 'plan.bin'])) as Json;
      const changes = plan.resource_changes as Json[];
      expect(changes.length).toBeGreaterThan(100);
      for (const change of changes) expect(change.change.actions).toEqual(['create']);
      const functions = changes.filter((c) => c.type === 'aws_lambda_function');
      expect(functions.map((f) => f.change.after.function_name).sort()).toEqual(
        WORKER_FUNCTIONS.map((f) => `bandup-${name}-${f.name}`).sort(),
      );
      // Each uploaded archive is an asset file inside the stack directory, and it is the planned source.
      const objects = changes.filter((c) => c.type === 'aws_s3_object');
      expect(objects).toHaveLength(WORKER_FUNCTIONS.length);
      for (const o of objects) {
        const source = path.join(outdir, 'stacks', stackId, o.change.after.source as string);
        expect(readFileSync(source).subarray(0, 2).toString('latin1')).toBe('PK');
      }
    }, 600_000);
  },
);
