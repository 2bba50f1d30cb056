import { beforeAll, describe, expect, it } from 'vitest';
import type { OfflinePlanRun } from '../../src/review/offline-plan.js';
import { offlinePlans, plannedResources, readPlan, terraformSkipReason } from './offline-plans.js';

/**
 * Real Terraform on the real AWS provider schema: every synthesized stack is initialised from the
 * local mirror, validated and planned offline; plan JSON stays in `.tmp/offline-plan/plans/`.
 */
describe.skipIf(terraformSkipReason !== undefined)('terraform validate + offline plan of every stack', () => {
  let run: OfflinePlanRun;
  beforeAll(async () => {
    run = await offlinePlans();
  }, 1_800_000);

  it('plans every stack of every environment, including the bootstrap', () => {
    const stacks = run.results.map((r) => r.stack);
    for (const id of ['bandup-bootstrap', 'bandup-dev-network', 'bandup-prod-network'])
      expect(stacks).toContain(id);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
  });

  it('validates and plans each stack without errors (stack name and Terraform output on failure)', () => {
    const failures = run.results.filter((r) => !r.ok).map((r) => r.error);
    expect(failures, failures.join('\n\n')).toEqual([]);
    for (const r of run.results) expect(r.summary?.add, r.stack).toBeGreaterThan(0);
  });

  it('plans only creations offline (nothing exists, nothing is changed or destroyed)', () => {
    for (const r of run.results.filter((x) => x.ok)) {
      expect({ stack: r.stack, change: r.summary?.change, destroy: r.summary?.destroy }).toEqual({
        stack: r.stack,
        change: 0,
        destroy: 0,
      });
    }
  });

  it('prod network plan: two NAT gateways, data route table without any route, 7 endpoints', () => {
    const result = run.results.find((r) => r.stack === 'bandup-prod-network');
    expect(result?.ok).toBe(true);
    const plan = readPlan(result ?? {});
    expect(plannedResources(plan, 'aws_nat_gateway')).toHaveLength(2);
    expect(plannedResources(plan, 'aws_vpc_endpoint')).toHaveLength(7);
    const routes = plannedResources(plan, 'aws_route');
    expect(routes.every((r) => r.destination_cidr_block === '0.0.0.0/0')).toBe(true);
    expect(routes).toHaveLength(3); // public -> IGW, two app tables -> NAT; none for data
  });

  it('bootstrap plan: state bucket with prevent_destroy-protected key and versioning', () => {
    const result = run.results.find((r) => r.stack === 'bandup-bootstrap');
    const plan = readPlan(result ?? {});
    expect(plannedResources(plan, 'aws_s3_bucket')[0]?.bucket).toMatch(
      /^bandup-tfstate-\d{12}-ap-southeast-1$/,
    );
    expect(plannedResources(plan, 'aws_s3_bucket_versioning')[0]?.versioning_configuration[0].status).toBe(
      'Enabled',
    );
    expect(plannedResources(plan, 'aws_kms_key')[0]?.enable_key_rotation).toBe(true);
  });
});
