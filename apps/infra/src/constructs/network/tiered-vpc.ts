import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../flat-construct.js';

export const ANYWHERE_V4 = '0.0.0.0/0';

export interface SubnetIdsByTier {
  /** Index i is the subnet in `availabilityZones[i]`. */
  readonly public: string[];
  readonly app: string[];
  readonly data: string[];
}

type Tier = keyof SubnetIdsByTier;

export interface TieredVpcProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly availabilityZones: readonly string[];
  readonly network: EnvironmentConfig['network'];
}

/**
 * The VPC with three subnet tiers per AZ and their routing: public (default route to the internet
 * gateway; the NAT gateways live here), app (default route to a NAT gateway, the same AZ's in
 * per-AZ mode) and data (no route beyond the VPC at all). Also adopts the default security group
 * with no rules, so nothing can use it by accident.
 */
export class TieredVpc extends FlatConstruct {
  readonly vpc: Vpc;
  readonly subnetIds: SubnetIdsByTier;
  /** Route tables of the app subnets, index i = AZ i (each routes 0.0.0.0/0 to a NAT gateway). */
  readonly privateRouteTableIds: string[];
  /** The data subnets' route table: local routes and the gateway endpoints' prefix lists only. */
  readonly dataRouteTableId: string;
  readonly natGatewayIds: string[];
  private readonly props: TieredVpcProps;

  constructor(scope: Construct, id: string, props: TieredVpcProps) {
    super(scope, id);
    this.props = props;
    const { network, resourceName } = props;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: network.vpcCidr,
      // Both are required for private DNS on interface endpoints.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: resourceName('vpc') },
    });
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: { Name: resourceName('default-locked') },
    });

    const publicSubnets = this.subnets('public', network.publicSubnetCidrs);
    const appSubnets = this.subnets('app', network.appSubnetCidrs);
    const dataSubnets = this.subnets('data', network.dataSubnetCidrs);
    this.subnetIds = {
      public: publicSubnets.map((s) => s.id),
      app: appSubnets.map((s) => s.id),
      data: dataSubnets.map((s) => s.id),
    };
    const internetGateway = this.publicRouting(publicSubnets);
    const nats = this.natGateways(publicSubnets, internetGateway);
    this.natGatewayIds = nats.map((n) => n.id);
    this.privateRouteTableIds = this.appRouting(appSubnets, nats).map((rt) => rt.id);
    this.dataRouteTableId = this.dataRouting(dataSubnets).id;
  }

  private subnets(tier: Tier, cidrs: readonly string[]): Subnet[] {
    const { availabilityZones: azs, resourceName } = this.props;
    return cidrs.map(
      (cidr, i) =>
        new Subnet(this, `${tier}-subnet-${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: azs[i],
          // Nothing gets a public IP implicitly; the ALB and NAT gateways have their own addresses.
          mapPublicIpOnLaunch: false,
          tags: { Name: resourceName(`${tier}-${azs[i]}`), Tier: tier },
        }),
    );
  }

  /** One route table for the public tier, default route to the internet gateway. */
  private publicRouting(publicSubnets: Subnet[]): InternetGateway {
    const { resourceName } = this.props;
    const igw = new InternetGateway(this, 'igw', {
      vpcId: this.vpc.id,
      tags: { Name: resourceName('igw') },
    });
    const publicRt = new RouteTable(this, 'public-rt', {
      vpcId: this.vpc.id,
      tags: { Name: resourceName('public') },
    });
    new Route(this, 'public-default-route', {
      routeTableId: publicRt.id,
      destinationCidrBlock: ANYWHERE_V4,
      gatewayId: igw.id,
    });
    publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRt.id });
    });
    return igw;
  }

  /** One NAT gateway per AZ (an AZ outage leaves the others' egress intact) or one (dev, cheaper). */
  private natGateways(publicSubnets: Subnet[], igw: InternetGateway): NatGateway[] {
    const { availabilityZones: azs, network, resourceName } = this.props;
    const natCount = network.natMode === 'per-az' ? azs.length : 1;
    return Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: 'vpc',
        tags: { Name: resourceName(`nat-${azs[i]}`) },
      });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i]?.id as string,
        connectivityType: 'public',
        tags: { Name: resourceName(`nat-${azs[i]}`) },
        dependsOn: [igw],
      });
    });
  }

  /** A route table per AZ for the app tier, default route to the NAT gateway of the same AZ (or the one). */
  private appRouting(appSubnets: Subnet[], nats: NatGateway[]): RouteTable[] {
    const { availabilityZones: azs, resourceName } = this.props;
    return appSubnets.map((subnet, i) => {
      const rt = new RouteTable(this, `app-rt-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: resourceName(`app-${azs[i]}`) },
      });
      new Route(this, `app-default-route-${i}`, {
        routeTableId: rt.id,
        destinationCidrBlock: ANYWHERE_V4,
        natGatewayId: (nats[i] ?? nats[0])?.id as string,
      });
      new RouteTableAssociation(this, `app-rta-${i}`, { subnetId: subnet.id, routeTableId: rt.id });
      return rt;
    });
  }

  /** The data tier's own route table with no route beyond the VPC: no way out to the internet. */
  private dataRouting(dataSubnets: Subnet[]): RouteTable {
    const dataRt = new RouteTable(this, 'data-rt', {
      vpcId: this.vpc.id,
      tags: { Name: this.props.resourceName('data') },
    });
    dataSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `data-rta-${i}`, { subnetId: subnet.id, routeTableId: dataRt.id });
    });
    return dataRt;
  }
}
