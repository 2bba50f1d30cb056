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
