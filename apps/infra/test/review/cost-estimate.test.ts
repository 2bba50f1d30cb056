import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_INPUTS } from '../../src/config/index.js';
import { estimateCost } from '../../src/review/cost-estimate.js';
import type { PlanDocument } from '../../src/review/plan-json.js';
import { loadPriceTable, parsePriceTable } from '../../src/review/price-table.js';
import { synthIndexOf } from '../../src/review/synth-index.js';
import { change, plan } from './plan-builders.js';

const prices = loadPriceTable();
const sg = prices.regions['ap-southeast-1'];
const inRegion = (p: PlanDocument, region = 'ap-southeast-1'): PlanDocument => ({
  ...p,
  configuration: { provider_config: { aws: { expressions: { region: { constant_value: region } } } } },
});
const db = {
  instance_class: 'db.t4g.micro',
  multi_az: false,
  allocated_storage: 20,
  storage_type: 'gp3',
  iops: null,
};
const estimate = (inputs: { stack: string; plan: PlanDocument }[]) =>
  estimateCost({
    inputs,
    prices,
    synth: synthIndexOf({}),
    configuredBudget: (env) => (env === 'prod' ? 600 : undefined),
  });

describe('estimateCost', () => {
  it('prices a Multi-AZ switch of RDS as the instance and storage doubling', () => {
    const c = estimate([
      {
        stack: 'bandup-prod-data',
        plan: inRegion(plan([change('aws_db_instance.db', ['update'], db, { ...db, multi_az: true })])),
      },
    ]);
    const single = (sg?.rdsInstanceHour['db.t4g.micro'] ?? 0) * 730 + 20 * (sg?.rdsStorageGbMonth.gp3 ?? 0);
    expect(c.monthlyDelta).toBeCloseTo(single, 1);
    expect(c.lines[0]?.basis).toBe('db.t4g.micro Multi-AZ, 20 GiB gp3');
    expect(c.environments).toEqual([
      { environment: 'prod', estimatedMonthly: Math.round(single * 2 * 100) / 100, budget: 600 },
    ]);
  });

  it('a second NAT gateway and a destroyed interface endpoint in two AZs net out by the table', () => {
    const c = estimate([
      {
        stack: 'bandup-dev-network',
        plan: inRegion(
          plan([
            change('aws_nat_gateway.b', ['create'], null, {}),
            change(
              'aws_vpc_endpoint.sqs',
              ['delete'],
              { vpc_endpoint_type: 'Interface', subnet_ids: ['a', 'b'] },
              null,
            ),
            change('aws_vpc_endpoint.s3', ['delete'], { vpc_endpoint_type: 'Gateway' }, null),
          ]),
        ),
      },
    ]);
    expect(c.monthlyDelta).toBeCloseTo(
      ((sg?.natGatewayHour ?? 0) - 2 * (sg?.interfaceEndpointAzHour ?? 0)) * 730,
      1,
    );
    expect(c.lines.map((l) => l.address)).toEqual(['aws_nat_gateway.b', 'aws_vpc_endpoint.sqs']);
    expect(c.environments).toEqual([
      { environment: 'dev', estimatedMonthly: Math.round((sg?.natGatewayHour ?? 0) * 730 * 100) / 100 },
    ]);
  });

  it('prices Fargate services from their task definition, with the Spot discount, and reads the budget from the plan', () => {
    const td = { family: 'bandup-dev-backend', cpu: '1024', memory: '2048' };
    const spot = [{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }];
    const c = estimate([
      {
        stack: 'bandup-dev-app',
        plan: inRegion(
          plan([
            change('aws_ecs_task_definition.backend', ['no-op'], td, td),
            change(
              'aws_ecs_service.backend',
              ['update'],
              {
                desired_count: 1,
                task_definition: 'arn:aws:ecs:r:1:task-definition/bandup-dev-backend:3',
                capacity_provider_strategy: spot,
              },
              {
                desired_count: 3,
                task_definition: 'arn:aws:ecs:r:1:task-definition/bandup-dev-backend:3',
                capacity_provider_strategy: spot,
              },
            ),
            change(
              'aws_budgets_budget.monthly',
              ['no-op'],
              { limit_amount: '150.0' },
              { limit_amount: '150.0' },
            ),
          ]),
        ),
      },
    ]);
    const perTask =
      ((sg?.fargateVcpuHour ?? 0) + 2 * (sg?.fargateGbHour ?? 0)) *
      (1 - (sg?.fargateSpotDiscount ?? 0)) *
      730;
    expect(c.monthlyDelta).toBeCloseTo(2 * perTask, 1);
    expect(c.lines[0]?.basis).toBe('3 × Fargate 1 vCPU/2 GB Spot');
    expect(c.environments[0]?.budget).toBe(150);
  });

  it('names a region the table has no prices for', () => {
    const c = estimate([
      {
        stack: 'bandup-prod-data',
        plan: inRegion(plan([change('aws_nat_gateway.a', ['create'], null, {})]), 'eu-west-9'),
      },
    ]);
    expect(c.unpriced).toEqual(['bandup-prod-data (no prices for region eu-west-9)']);
    expect(c.monthlyDelta).toBe(0);
  });

  it('prices an ARM64 task at the ARM Fargate rates', () => {
    const td = {
      family: 'bandup-prod-backend',
      cpu: '512',
      memory: '1024',
      runtime_platform: [{ cpu_architecture: 'ARM64', operating_system_family: 'LINUX' }],
    };
    const service = {
      desired_count: 2,
      task_definition: 'arn:aws:ecs:r:1:task-definition/bandup-prod-backend:1',
    };
    const c = estimate([
      {
        stack: 'bandup-prod-app',
        plan: inRegion(
          plan([
            change('aws_ecs_task_definition.backend', ['create'], null, td),
            change('aws_ecs_service.backend', ['create'], null, service),
          ]),
        ),
      },
    ]);
    const arm = (0.5 * (sg?.fargateArmVcpuHour ?? 0) + (sg?.fargateArmGbHour ?? 0)) * 730 * 2;
    expect(sg?.fargateArmVcpuHour).toBeLessThan(sg?.fargateVcpuHour ?? 0);
    expect(c.monthlyDelta).toBeCloseTo(arm, 1);
    expect(c.lines[0]?.basis).toBe('2 × Fargate 0.5 vCPU/1 GB ARM64');
  });

  it('lists usage-billed resources left by the plans with their unit prices, outside the estimate', () => {
    const c = estimate([
      {
        stack: 'bandup-prod-ai',
        plan: inRegion(
          plan([
            change('aws_lambda_function.a', ['create'], null, {}),
            change('aws_lambda_function.b', ['no-op'], {}, {}),
            change('aws_lambda_function.gone', ['delete'], {}, null),
            change('aws_dynamodb_table.jobs', ['update'], {}, {}),
            change('aws_iam_role.r', ['create'], null, {}),
          ]),
        ),
      },
    ]);
    expect(c.monthlyDelta).toBe(0);
    expect(c.environments).toEqual([{ environment: 'prod', estimatedMonthly: 0, budget: 600 }]);
    expect(c.usagePriced).toEqual([
      {
        environment: 'prod',
        resourceType: 'aws_dynamodb_table',
        count: 1,
        unitPrices: expect.stringMatching(/^[\d.]+ USD per million write request units/),
      },
      {
        environment: 'prod',
        resourceType: 'aws_lambda_function',
        count: 2,
        unitPrices: `${sg?.usage.aws_lambda_function?.['per million requests']} USD per million requests, ${sg?.usage.aws_lambda_function?.['per GB-second (arm64)']} USD per GB-second (arm64)`,
      },
    ]);
  });

  it('has a fixed or usage price for every billable resource type the stacks deploy', () => {
    const fixed = [
      'aws_nat_gateway',
      'aws_lb',
      'aws_eip',
      'aws_db_instance',
      'aws_elasticache_replication_group',
    ];
    const usageOnly = [
      'aws_lambda_function',
      'aws_sqs_queue',
      'aws_sns_topic',
      'aws_dynamodb_table',
      'aws_api_gateway_rest_api',
      'aws_cloudwatch_log_group',
      'aws_s3_bucket',
      'aws_ecr_repository',
      'aws_codebuild_project',
    ];
    for (const type of usageOnly) expect(sg?.usage[type], type).toBeDefined();
    for (const type of fixed) {
      const c = estimate([
        {
          stack: 'bandup-prod-x',
          plan: inRegion(
            plan([
              change(`${type}.a`, ['create'], null, {
                instance_class: 'db.t4g.micro',
                storage_type: 'gp3',
                allocated_storage: 20,
                node_type: 'cache.t3.micro',
                num_cache_clusters: 1,
              }),
            ]),
          ),
        },
      ]);
      expect(c.monthlyDelta, type).toBeGreaterThan(0);
    }
    // The instance classes and node types of the dev and prod configuration.
    for (const env of ['dev', 'prod'] as const) {
      expect(sg?.rdsInstanceHour[ENVIRONMENT_INPUTS[env]?.database.instanceClass ?? '']).toBeGreaterThan(0);
      expect(sg?.cacheNodeHour[ENVIRONMENT_INPUTS[env]?.cache.nodeType ?? '']).toBeGreaterThan(0);
    }
  });

  it('rejects a price table without a date, a source or with a negative price, naming the field', () => {
    expect(() => parsePriceTable({ ...prices, asOf: 'today' }, 'p.json')).toThrow(/asOf: a date YYYY-MM-DD/);
    expect(() => parsePriceTable({ ...prices, source: [] }, 'p.json')).toThrow(
      /source: name the pricing pages/,
    );
    expect(() =>
      parsePriceTable({ ...prices, regions: { 'ap-southeast-1': { ...sg, natGatewayHour: -1 } } }, 'p.json'),
    ).toThrow(/regions\.ap-southeast-1\.natGatewayHour/);
  });
});
