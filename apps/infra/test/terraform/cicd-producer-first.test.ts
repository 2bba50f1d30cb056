import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { selectEnvironments } from '../../src/config/index.js';
import { attributeTypesFromSchema, seededState } from '../../src/review/remote-state-seed.js';
import {
  pluginMirrorDir,
  prepareTerraformCli,
  runTerraform,
  type TerraformCli,
} from '../../src/review/terraform-cli.js';
import { type PlanJson, terraformSkipReason } from './offline-plans.js';

/*
 * Why the pipeline plans a consumer only after its producers were applied (one wave per dependency
 * level), shown with real Terraform and the offline harness: the data stack reads the network
 * stack's subnet ids from its state. A network change that replaces the data subnets changes those
 * outputs when it is applied. A data plan made before that apply still holds the old subnets
 * ("no change" to the DB subnet group); the data plan made after it, as the next wave does, shows
 * the DB subnet group moving to the new subnets.
 */
const SUBNET_OUTPUTS = [0, 1].map((i) => `cross-stack-output-aws_subnetdata-subnet-${i}id`);
const SUBNET_GROUP = 'aws_db_subnet_group.postgres_subnet-group_FFC7F47A';

let cli: TerraformCli;
let dataDir: string;
let dataStatePath: string;
let networkStatePath: string;
// biome-ignore lint/suspicious/noExplicitAny: Terraform state and plan JSON are untyped documents
let networkStateBefore: any;

async function planData(): Promise<PlanJson> {
  const plan = await runTerraform(cli, dataDir, [
    'plan',
    '-refresh=false',
    '-input=false',
    '-lock=false',
    '-no-color',
    '-out=tfplan',
  ]);
  if (plan.code !== 0) throw new Error(`data plan failed:\n${plan.stderr}`);
  const show = await runTerraform(cli, dataDir, ['show', '-json', 'tfplan']);
  return JSON.parse(show.stdout) as PlanJson;
}
const subnetGroup = (plan: PlanJson) =>
  (plan.resource_changes as PlanJson[]).find((rc) => rc.address === SUBNET_GROUP) as PlanJson;

describe.skipIf(terraformSkipReason !== undefined)(
  'producer-first planning (real Terraform, offline)',
  () => {
    beforeAll(async () => {
      const workDir = mkdtempSync(path.join(tmpdir(), 'bandup-producer-first-'));
      const outdir = path.join(workDir, 'synth');
      buildApp({
        environments: selectEnvironments('dev'),
        mode: { kind: 'offline', stateDir: path.join(workDir, 'state') },
        outdir,
      }).app.synth();
      cli = prepareTerraformCli(workDir, pluginMirrorDir());
      dataDir = path.join(outdir, 'stacks/bandup-dev-data');
      const networkConfig = JSON.parse(
        readFileSync(path.join(outdir, 'stacks/bandup-dev-network/cdk.tf.json'), 'utf8'),
      );
      const dataConfig = JSON.parse(readFileSync(path.join(dataDir, 'cdk.tf.json'), 'utf8'));
      networkStatePath = networkConfig.terraform.backend.local.path;
      dataStatePath = dataConfig.terraform.backend.local.path;
      const init = await runTerraform(cli, dataDir, ['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new Error(init.stderr);
      const schema = await runTerraform(cli, dataDir, ['providers', 'schema', '-json']);
      const types = attributeTypesFromSchema(JSON.parse(schema.stdout));
      networkStateBefore = seededState(networkConfig, types, {
        accountId: '111111111111',
        region: 'ap-southeast-1',
      });
      mkdirSync(path.dirname(networkStatePath), { recursive: true });
      writeFileSync(networkStatePath, JSON.stringify(networkStateBefore));
    }, 600_000);

    it('a consumer planned after its producer was applied shows the changed producer outputs', async () => {
      const oldSubnets = SUBNET_OUTPUTS.map((o) => networkStateBefore.outputs[o].value as string);

      // The data stack as deployed against the current network: its DB subnet group in its state.
      const first = subnetGroup(await planData());
      expect(first.change.after.subnet_ids.sort()).toEqual([...oldSubnets].sort());
      writeFileSync(
        dataStatePath,
        JSON.stringify({
          version: 4,
          terraform_version: '1.11.0',
          serial: 1,
          lineage: 'producer-first-test',
          outputs: {},
          resources: [
            {
              mode: 'managed',
              type: 'aws_db_subnet_group',
              name: 'postgres_subnet-group_FFC7F47A',
              provider: 'provider["registry.terraform.io/hashicorp/aws"]',
              instances: [
                {
                  schema_version: 0,
                  attributes: {
                    ...first.change.after,
                    id: 'bandup-dev-postgres',
                    arn: 'arn:aws:rds:ap-southeast-1:111111111111:subgrp:bandup-dev-postgres',
                    supported_network_types: ['IPV4'],
                    vpc_id: networkStateBefore.outputs['cross-stack-output-aws_vpcvpcid'].value,
                  },
                },
              ],
            },
          ],
          check_results: null,
        }),
      );
      // Against unchanged producer outputs the consumer has nothing to do for its subnet group.
      expect(subnetGroup(await planData()).change.actions).toEqual(['no-op']);

      // Wave 1 applies a network change that replaced the data subnets: new ids in its state.
      const newSubnets = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'];
      const after = structuredClone(networkStateBefore);
      SUBNET_OUTPUTS.forEach((o, i) => {
        after.outputs[o].value = newSubnets[i];
      });
      after.serial += 1;
      writeFileSync(networkStatePath, JSON.stringify(after));

      // Wave 2 plans the consumer now: the change reaches the approver and the apply.
      const replanned = subnetGroup(await planData());
      expect(replanned.change.actions).toEqual(['update']);
      expect(replanned.change.before.subnet_ids.sort()).toEqual([...oldSubnets].sort());
      expect(replanned.change.after.subnet_ids.sort()).toEqual([...newSubnets].sort());
    }, 600_000);
  },
);
