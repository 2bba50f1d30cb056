import type { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { type TierGroups, TierSecurityGroups } from '../../constructs/network/tier-security-groups.js';
import { type SubnetIdsByTier, TieredVpc } from '../../constructs/network/tiered-vpc.js';
import { VpcEndpoints } from '../../constructs/network/vpc-endpoints.js';
import { VpcFlowLog } from '../../constructs/network/vpc-flow-log.js';
import type { EncryptedLogGroup } from '../../constructs/observability/log-group.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import { EnvironmentStack, type EnvironmentStackProps } from '../environment-stack.js';

export type { SubnetIdsByTier } from '../../constructs/network/tiered-vpc.js';

/**
 * `bandup-<env>-network`: the tiered VPC (public, app and data subnets per AZ; the data tier with
 * no route to the internet), the security groups of every tier with their rules (here, so
 * consumers never form a stack cycle), the VPC endpoints and KMS-encrypted flow logs.
 */
export class NetworkStack extends EnvironmentStack {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: SubnetIdsByTier;
  /** Route tables of the app subnets, index i = AZ i (each routes 0.0.0.0/0 to a NAT gateway). */
  readonly privateRouteTableIds: string[];
  /** The data subnets' route table: local routes and the gateway endpoints' prefix lists only. */
  readonly dataRouteTableId: string;
  readonly natGatewayIds: string[];
  readonly securityGroups: TierGroups;
  readonly flowLogKey: EncryptionKey;
  readonly flowLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'network', props);
    const { config } = this;
    const resourceName = (suffix: string) => this.resourceName(suffix);

    const tiered = new TieredVpc(this, 'tiered-vpc', {
      resourceName,
      availabilityZones: config.availabilityZones,
      network: config.network,
    });
    this.vpc = tiered.vpc;
    this.vpcId = tiered.vpc.id;
    this.vpcCidr = tiered.vpc.cidrBlock;
    this.subnetIds = tiered.subnetIds;
    this.privateRouteTableIds = tiered.privateRouteTableIds;
    this.dataRouteTableId = tiered.dataRouteTableId;
    this.natGatewayIds = tiered.natGatewayIds;

    this.securityGroups = new TierSecurityGroups(this, 'tier-security-groups', {
      resourceName,
      vpcId: this.vpcId,
      vpcCidr: config.network.vpcCidr,
      frontendPort: config.ecs.frontend.containerPort,
      backendPort: config.ecs.backend.containerPort,
      mail: config.mail,
    }).groups;

    new VpcEndpoints(this, 'endpoints', {
      resourceName,
      region: config.region,
      vpcId: this.vpcId,
      routeTableIds: this.privateRouteTableIds,
      subnetIds: this.subnetIds.app,
      securityGroupId: this.securityGroups.endpoints.id,
    });

    const flowLog = new VpcFlowLog(this, 'flow-logs', {
      resourceName,
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
      vpcId: this.vpcId,
      retentionInDays: config.network.flowLogRetentionDays,
      protect: config.protectStatefulResources,
    });
    this.flowLogKey = flowLog.key;
    this.flowLogGroup = flowLog.logGroup;
    this.outputs();
  }

  private outputs(): void {
    const output = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output('vpc_id', this.vpcId, 'VPC id');
    output('vpc_cidr', this.vpcCidr, 'VPC IPv4 block');
    output('public_subnet_ids', this.subnetIds.public, 'Public subnets, one per AZ in config order');
    output('app_subnet_ids', this.subnetIds.app, 'App subnets, one per AZ in config order');
    output('data_subnet_ids', this.subnetIds.data, 'Data subnets, one per AZ in config order');
    output('private_route_table_ids', this.privateRouteTableIds, 'App route tables, one per AZ');
    output(
      'endpoints_security_group_id',
      this.securityGroups.endpoints.id,
      'Group of the interface endpoints',
    );
  }
}
