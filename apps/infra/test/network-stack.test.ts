import { describe, expect, it } from 'vitest';
import {
  configWith,
  devConfig,
  type Json,
  prodConfig,
  refName,
  resourcesOf,
  synthNetwork,
} from './network-fixture.js';

const byLogicalPrefix = (resources: Record<string, Json>, prefix: string) =>
  Object.entries(resources).filter(([id]) => id.startsWith(prefix));

describe('network stack: NAT', () => {
  it('per-az: one NAT and EIP per AZ, each app route table uses the NAT in its own AZ', () => {
    const stack = synthNetwork(prodConfig());
    const nats = resourcesOf(stack, 'aws_nat_gateway');
    expect(Object.keys(nats)).toHaveLength(2);
    expect(Object.keys(resourcesOf(stack, 'aws_eip'))).toHaveLength(2);
    const subnets = resourcesOf(stack, 'aws_subnet');
    const routes = resourcesOf(stack, 'aws_route');
    const tables = resourcesOf(stack, 'aws_route_table_association');
    for (const [, route] of byLogicalPrefix(routes, 'app-default-route')) {
      const nat = nats[refName(route.nat_gateway_id) as string] as Json;
      const natAz = subnets[refName(nat.subnet_id) as string]?.availability_zone;
      // The app subnet associated with this route's table is in the same AZ as the NAT.
      const assoc = Object.values(tables).find(
        (a) => refName(a.route_table_id) === refName(route.route_table_id),
      );
      const appAz = subnets[refName(assoc?.subnet_id) as string]?.availability_zone;
      expect(appAz).toBeDefined();
      expect(appAz).toBe(natAz);
    }
  });

  it('single: one NAT gateway shared by every app route table', () => {
    const stack = synthNetwork(devConfig());
    expect(Object.keys(resourcesOf(stack, 'aws_nat_gateway'))).toHaveLength(1);
    const appRoutes = byLogicalPrefix(resourcesOf(stack, 'aws_route'), 'app-default-route');
    expect(appRoutes).toHaveLength(2);
    expect(new Set(appRoutes.map(([, r]) => r.nat_gateway_id)).size).toBe(1);
  });
});

describe('network stack: VPC and subnets', () => {
  it('turns DNS support and hostnames on (needed by private DNS on interface endpoints)', () => {
    const vpc = Object.values(resourcesOf(synthNetwork(devConfig()), 'aws_vpc'))[0] as Json;
    expect(vpc.enable_dns_support).toBe(true);
    expect(vpc.enable_dns_hostnames).toBe(true);
    expect(vpc.cidr_block).toBe('10.0.0.0/16');
  });

  it('creates public, app and data subnets per AZ with the configured blocks', () => {
    const config = configWith((c) => ({
      ...c,
      availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
      network: {
        ...c.network,
        publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24', '10.0.6.0/24'],
        appSubnetCidrs: ['10.0.2.0/24', '10.0.3.0/24', '10.0.7.0/24'],
        dataSubnetCidrs: ['10.0.4.0/24', '10.0.5.0/24', '10.0.8.0/24'],
        natMode: 'per-az',
      },
    }));
    const stack = synthNetwork(config);
    const subnets = Object.values(resourcesOf(stack, 'aws_subnet'));
    expect(subnets).toHaveLength(9);
    expect(
      subnets.filter((s) => s.tags.Tier === 'data').map((s) => [s.cidr_block, s.availability_zone]),
    ).toEqual([
      ['10.0.4.0/24', 'ap-southeast-1a'],
      ['10.0.5.0/24', 'ap-southeast-1b'],
      ['10.0.8.0/24', 'ap-southeast-1c'],
    ]);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(Object.keys(resourcesOf(stack, 'aws_nat_gateway'))).toHaveLength(3);
  });
});

describe('network stack: routing', () => {
  const stack = synthNetwork(prodConfig());
  const routes = resourcesOf(stack, 'aws_route');
  const assocs = Object.values(resourcesOf(stack, 'aws_route_table_association'));
  const subnets = resourcesOf(stack, 'aws_subnet');
  const tableOfTier = (tier: string) =>
    new Set(
      assocs
        .filter((a) => subnets[refName(a.subnet_id) as string]?.tags.Tier === tier)
        .map((a) => refName(a.route_table_id)),
    );

  it('data subnets: their route table has no route at all (no 0.0.0.0/0, no NAT, no IGW)', () => {
    const dataTables = tableOfTier('data');
    expect(dataTables.size).toBe(1);
    const dataRoutes = Object.values(routes).filter((r) => dataTables.has(refName(r.route_table_id)));
    expect(dataRoutes).toEqual([]);
    const dataTable = resourcesOf(stack, 'aws_route_table')[[...dataTables][0] as string];
    expect(dataTable?.route).toBeUndefined();
  });

  it('public subnets route to the internet gateway; app subnets to NAT, never to the IGW', () => {
    const publicRoutes = Object.values(routes).filter((r) =>
      tableOfTier('public').has(refName(r.route_table_id)),
    );
    expect(publicRoutes.map((r) => r.gateway_id)).toEqual([
      expect.stringMatching(/^\$\{aws_internet_gateway\./),
    ]);
    const appRoutes = Object.values(routes).filter((r) => tableOfTier('app').has(refName(r.route_table_id)));
    expect(appRoutes).toHaveLength(2);
    for (const r of appRoutes) {
      expect(r.nat_gateway_id).toMatch(/^\$\{aws_nat_gateway\./);
      expect(r.gateway_id).toBeUndefined();
    }
  });
});

describe('network stack: endpoints, flow logs, groups', () => {
  const config = prodConfig();
  const stack = synthNetwork(config);
  const endpoints = Object.values(resourcesOf(stack, 'aws_vpc_endpoint'));
  const groups = resourcesOf(stack, 'aws_security_group');
  const groupByTier = (tier: string) =>
    Object.entries(groups).find(([, g]) => g.name === `bandup-prod-${tier}`)?.[0];
  const ingress = Object.values(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule'));
  const egress = Object.values(resourcesOf(stack, 'aws_vpc_security_group_egress_rule'));
  const rulesOf = (rules: Json[], tier: string) =>
    rules.filter((r) => refName(r.security_group_id) === groupByTier(tier));

  it('S3 and DynamoDB gateway endpoints on the app route tables only', () => {
    const gateways = endpoints.filter((e) => e.vpc_endpoint_type === 'Gateway');
    expect(gateways.map((e) => e.service_name).sort()).toEqual([
      'com.amazonaws.ap-southeast-1.dynamodb',
      'com.amazonaws.ap-southeast-1.s3',
    ]);
    for (const g of gateways) expect(g.route_table_ids.map(refName)).toEqual(['app-rt-0', 'app-rt-1']);
  });

  it('interface endpoints: ECR api/dkr, logs, Secrets Manager, SQS with private DNS in the app subnets', () => {
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name.replace('com.amazonaws.ap-southeast-1.', '')).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs'],
    );
    for (const e of interfaces) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids.map(refName)).toEqual(['app-subnet-0', 'app-subnet-1']);
      expect(e.security_group_ids.map(refName)).toEqual([groupByTier('endpoints')]);
    }
    expect(rulesOf(ingress, 'endpoints').map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      [443, 443, '10.0.0.0/16'],
    ]);
  });

  it('flow logs: all traffic to a KMS-encrypted group with the configured retention, least-privilege role', () => {
    const flowLog = Object.values(resourcesOf(stack, 'aws_flow_log'))[0] as Json;
    expect(flowLog.traffic_type).toBe('ALL');
    const group = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group'))[0] as Json;
    expect(group.retention_in_days).toBe(config.network.flowLogRetentionDays);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    const policy = JSON.parse((Object.values(resourcesOf(stack, 'aws_iam_role_policy'))[0] as Json).policy);
    const resources = policy.Statement.flatMap((s: Json) => s.Resource);
    expect(resources.every((r: string) => r.startsWith('${aws_cloudwatch_log_group.'))).toBe(true);
    const trust = JSON.parse(
      (Object.values(resourcesOf(stack, 'aws_iam_role'))[0] as Json).assume_role_policy,
    );
    expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe(config.accountId);
  });

  it('default security group is adopted with no rules', () => {
    const def = Object.values(resourcesOf(stack, 'aws_default_security_group'))[0] as Json;
    expect(def.ingress ?? []).toEqual([]);
    expect(def.egress ?? []).toEqual([]);
  });

  it('tier rules: ALB 80/443 from anywhere; tasks, database, cache only from their callers', () => {
    const sources = (tier: string) =>
      rulesOf(ingress, tier)
        .map(
          (r) =>
            `${r.from_port}<-${r.cidr_ipv4 ?? Object.entries(groups).find(([id]) => id === refName(r.referenced_security_group_id))?.[1].name}`,
        )
        .sort();
    expect(sources('alb')).toEqual(['443<-0.0.0.0/0', '80<-0.0.0.0/0']);
    expect(sources('frontend')).toEqual(['3000<-bandup-prod-alb']);
    expect(sources('backend')).toEqual(['8080<-bandup-prod-alb', '8080<-bandup-prod-frontend']);
    expect(sources('database')).toEqual(['5432<-bandup-prod-backend', '5432<-bandup-prod-lambda']);
    expect(sources('cache')).toEqual(['6379<-bandup-prod-backend', '6379<-bandup-prod-lambda']);
    expect(sources('lambda')).toEqual([]);
    // The ALB may only send to the task groups, on their ports.
    expect(rulesOf(egress, 'alb').map((r) => [r.to_port, refName(r.referenced_security_group_id)])).toEqual([
      [3000, groupByTier('frontend')],
      [8080, groupByTier('backend')],
    ]);
    expect(
      rulesOf(egress, 'lambda')
        .map((r) => r.to_port)
        .sort(),
    ).toEqual([443, 5432, 6379]);
    for (const r of [...ingress, ...egress]) expect(r.description).toMatch(/\w/);
  });
});
