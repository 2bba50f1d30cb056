import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import { attributeTypesFromSchema, seededState, writeSeededState } from '../src/review/remote-state-seed.js';
import {
  type CommandResult,
  pluginMirrorDir,
  prepareTerraformCli,
  runTerraform,
  type TerraformCli,
  terraformUnavailableReason,
} from '../src/review/terraform-cli.js';
import { BandupStack } from '../src/stacks/bandup-stack.js';
import type { Json } from './data-fixture.js';

/*
 * Real Terraform against the real AWS provider schema (the 5.100.0 filesystem mirror), offline:
 * `terraform validate` and `terraform plan` of bandup-dev-data and bandup-prod-data, synthesized in
 * the whole app (offline mode). The network stack's state is seeded with synthetic outputs
 * (remote-state-seed), so the data stacks' cross-stack references resolve without an apply.
 */

const MIRROR = pluginMirrorDir();
const unavailable = terraformUnavailableReason(MIRROR);
if (unavailable) console.warn(`data-terraform tests skipped: ${unavailable}`);
const DATA_STACKS = ['bandup-dev-data', 'bandup-prod-data'] as const;

const workDir = path.resolve('.tmp', 'data-terraform');
let cli: TerraformCli;
const dirOf = (id: string) => path.join(workDir, 'synth', 'stacks', id);
const plans: Record<string, Json> = {};
const validations: Record<string, CommandResult> = {};

const failure = (r: CommandResult) => `${r.stderr || r.stdout}`.trim();

describe.skipIf(unavailable !== undefined)('data stacks under real Terraform (offline)', () => {
  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    const stateDir = path.join(workDir, 'state');
    const { app } = buildApp({
      environments: selectEnvironments(undefined),
      mode: { kind: 'offline', stateDir },
      outdir: path.join(workDir, 'synth'),
    });
    app.synth();
    cli = prepareTerraformCli(workDir, MIRROR);

    // Init the data stacks (provider from the mirror only), then seed their producers' state.
    for (const id of DATA_STACKS) {
      const init = await runTerraform(cli, dirOf(id), ['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new Error(`${id}: terraform init failed\n${failure(init)}`);
    }
    const schema = await runTerraform(cli, dirOf(DATA_STACKS[0]), ['providers', 'schema', '-json']);
    if (schema.code !== 0) throw new Error(`terraform providers schema failed\n${failure(schema)}`);
    const types = attributeTypesFromSchema(JSON.parse(schema.stdout));
    const stacks = app.node.children.filter((c): c is BandupStack => c instanceof BandupStack);
    for (const stack of stacks) {
      const config = JSON.parse(readFileSync(path.join(dirOf(stack.node.id), 'cdk.tf.json'), 'utf8')) as Json;
      if (!config.output) continue;
      writeSeededState(
        config.terraform.backend.local.path,
        seededState(config, types, { accountId: stack.accountId, region: stack.region }),
      );
    }

    for (const id of DATA_STACKS) {
      validations[id] = await runTerraform(cli, dirOf(id), ['validate', '-no-color']);
      const plan = await runTerraform(cli, dirOf(id), [
        'plan',
        '-refresh=false',
        '-input=false',
        '-lock=false',
        '-no-color',
        '-out=tfplan',
      ]);
      if (plan.code !== 0) throw new Error(`${id}: terraform plan failed\n${failure(plan)}`);
      const show = await runTerraform(cli, dirOf(id), ['show', '-json', '-no-color', 'tfplan']);
      if (show.code !== 0) throw new Error(`${id}: terraform show failed\n${failure(show)}`);
      plans[id] = JSON.parse(show.stdout) as Json;
    }
  }, 900_000);

  it.each(DATA_STACKS)('%s: terraform validate passes without warnings', (id) => {
    const result = validations[id] as CommandResult;
    expect(result.code, failure(result)).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/Warning:/);
  });

  it.each(DATA_STACKS)(
    '%s: the offline plan only creates, and creates the database, cache and buckets',
    (id) => {
      const changes = (plans[id]?.resource_changes ?? []) as Json[];
      const actions = new Set(changes.flatMap((c) => c.change.actions as string[]));
      expect([...actions]).toEqual(['create']);
      const types = changes.map((c) => c.type as string);
      for (const type of [
        'aws_db_instance',
        'aws_elasticache_replication_group',
        'aws_secretsmanager_secret_rotation',
        'aws_lambda_function',
        'aws_kms_key',
      ]) {
        expect(types, type).toContain(type);
      }
      expect(types.filter((t) => t === 'aws_s3_bucket')).toHaveLength(4);
    },
  );

  it('prod plan: Multi-AZ database and a two-node cache with failover, as planned by the provider', () => {
    const changes = (plans['bandup-prod-data']?.resource_changes ?? []) as Json[];
    const after = (type: string) => changes.find((c) => c.type === type)?.change.after as Json;
    expect(after('aws_db_instance')).toMatchObject({
      multi_az: true,
      deletion_protection: true,
      storage_encrypted: true,
    });
    expect(after('aws_elasticache_replication_group')).toMatchObject({
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_mode: 'required',
    });
    // The plan (what state would hold) carries no password for the cache.
    expect(after('aws_elasticache_replication_group').auth_token ?? null).toBeNull();
  });
});
