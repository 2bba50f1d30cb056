import { describe, expect, it } from 'vitest';
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

  it('rejects a price table without a date or with a negative price, naming the field', () => {
    expect(() => parsePriceTable({ ...prices, date: 'today' }, 'p.json')).toThrow(/date: a date YYYY-MM-DD/);
    expect(() =>
      parsePriceTable({ ...prices, regions: { 'ap-southeast-1': { ...sg, natGatewayHour: -1 } } }, 'p.json'),
    ).toThrow(/regions\.ap-southeast-1\.natGatewayHour/);
  });
});
