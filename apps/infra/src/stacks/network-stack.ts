import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { ServiceRole } from '../constructs/iam/service-role.js';
import { EncryptionKey } from '../constructs/kms-key.js';
import { EncryptedLogGroup, logsServicePrincipal } from '../constructs/observability/log-group.js';
import { markInternetFacingLoadBalancerGroup } from '../policies/internet-ingress.js';
import { EnvironmentStack, type EnvironmentStackProps } from './environment-stack.js';

/** Ports the tier groups open between each other (the container ports come from config). */
export const POSTGRES_PORT = 5432;
export const VALKEY_PORT = 6379;
const HTTPS = 443;
const HTTP = 80;
const ANYWHERE_V4 = '0.0.0.0/0';

/** Interface endpoints: what ECS tasks and Lambda functions reach without the NAT gateways. */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs'] as const;
/** Gateway endpoints (free, on the private route tables). */
export const GATEWAY_ENDPOINT_SERVICES = ['s3', 'dynamodb'] as const;

export interface TierSecurityGroups {
  readonly alb: SecurityGroup;
  readonly frontend: SecurityGroup;
  readonly backend: SecurityGroup;
  readonly database: SecurityGroup;
  readonly cache: SecurityGroup;
  readonly lambda: SecurityGroup;
  readonly endpoints: SecurityGroup;
}

export interface SubnetIdsByTier {
  /** Index i is the subnet in `config.availabilityZones[i]`. */
  readonly public: string[];
  readonly app: string[];
  readonly data: string[];
}

type Tier = keyof SubnetIdsByTier;

/**
 * `bandup-<env>-network`: VPC, three subnet tiers per AZ, IGW, NAT gateways (per AZ or single),
 * route tables (data tier without any route to the internet), S3/DynamoDB gateway endpoints,
 * interface endpoints, KMS-encrypted flow logs, a locked-down default group, and the security
 * groups of every tier with their rules (here, so consumers never form a stack cycle).
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
  readonly securityGroups: TierSecurityGroups;
  readonly flowLogKey: EncryptionKey;
  readonly flowLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'network', props);
    const { config } = this;
    const azs = config.availabilityZones;
    const net = config.network;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: net.vpcCidr,
      // Both are required for private DNS on interface endpoints (the seed had hostnames off).
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: this.resourceName('vpc') },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = this.vpc.cidrBlock;

    // Adopting the default group removes all its rules: nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: { Name: this.resourceName('default-locked') },
    });

    const subnets = (tier: Tier, cidrs: readonly string[]) =>
      cidrs.map(
        (cidr, i) =>
          new Subnet(this, `${tier}-subnet-${i}`, {
            vpcId: this.vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs[i],
            // Nothing gets a public IP implicitly; the ALB and NAT gateways have their own addresses.
            mapPublicIpOnLaunch: false,
            tags: { Name: this.resourceName(`${tier}-${azs[i]}`), Tier: tier },
          }),
      );
    const publicSubnets = subnets('public', net.publicSubnetCidrs);
    const appSubnets = subnets('app', net.appSubnetCidrs);
    const dataSubnets = subnets('data', net.dataSubnetCidrs);
    this.subnetIds = {
      public: publicSubnets.map((s) => s.id),
      app: appSubnets.map((s) => s.id),
      data: dataSubnets.map((s) => s.id),
    };

    // Public tier: one route table, default route to the internet gateway.
    const igw = new InternetGateway(this, 'igw', {
      vpcId: this.vpc.id,
      tags: { Name: this.resourceName('igw') },
    });
    const publicRt = new RouteTable(this, 'public-rt', {
      vpcId: this.vpc.id,
      tags: { Name: this.resourceName('public') },
    });
    new Route(this, 'public-default-route', {
      routeTableId: publicRt.id,
      destinationCidrBlock: ANYWHERE_V4,
      gatewayId: igw.id,
    });
    publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRt.id });
    });

    // NAT: one per AZ (an AZ outage leaves the others' egress intact) or one for the VPC (dev, cheaper).
    const natCount = net.natMode === 'per-az' ? azs.length : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: 'vpc',
        tags: { Name: this.resourceName(`nat-${azs[i]}`) },
      });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i]?.id as string,
        connectivityType: 'public',
        tags: { Name: this.resourceName(`nat-${azs[i]}`) },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((n) => n.id);

    // App tier: a route table per AZ, default route to the NAT gateway in the same AZ (per-az mode).
    const appRts = appSubnets.map((subnet, i) => {
      const rt = new RouteTable(this, `app-rt-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: this.resourceName(`app-${azs[i]}`) },
      });
      new Route(this, `app-default-route-${i}`, {
        routeTableId: rt.id,
        destinationCidrBlock: ANYWHERE_V4,
        natGatewayId: (nats[i] ?? nats[0])?.id as string,
      });
      new RouteTableAssociation(this, `app-rta-${i}`, { subnetId: subnet.id, routeTableId: rt.id });
      return rt;
    });
    this.privateRouteTableIds = appRts.map((rt) => rt.id);

    // Data tier: its own route table with no route at all beyond the VPC: no way out to the internet.
    const dataRt = new RouteTable(this, 'data-rt', {
      vpcId: this.vpc.id,
      tags: { Name: this.resourceName('data') },
    });
    dataSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `data-rta-${i}`, { subnetId: subnet.id, routeTableId: dataRt.id });
    });
    this.dataRouteTableId = dataRt.id;

    this.securityGroups = this.tierSecurityGroups();

    for (const service of GATEWAY_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `endpoint-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${config.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: this.privateRouteTableIds,
        tags: { Name: this.resourceName(service) },
      });
    }
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `endpoint-${service.replace('.', '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${config.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.subnetIds.app,
        securityGroupIds: [this.securityGroups.endpoints.id],
        tags: { Name: this.resourceName(service.replace('.', '-')) },
      });
    }

    // Flow logs: every accepted and rejected flow, to a KMS-encrypted group with the configured retention.
    this.flowLogKey = new EncryptionKey(this, 'flow-log-key', {
      accountId: config.accountId,
      region: config.region,
      alias: this.resourceName('flow-logs'),
      description: `Encrypts the VPC flow logs of ${this.resourceName('vpc')}`,
      viaServices: ['logs'],
      servicePrincipals: [logsServicePrincipal(config.accountId, config.region)],
      preventDestroy: config.protectStatefulResources,
    });
    this.flowLogGroup = new EncryptedLogGroup(this, 'flow-log-group', {
      name: `/bandup/${config.name}/vpc-flow-logs`,
      retentionInDays: net.flowLogRetentionDays,
      kmsKey: this.flowLogKey,
    });
    const flowLogRole = new ServiceRole(this, 'flow-log-role', {
      name: this.resourceName('vpc-flow-logs'),
      description: `Delivers the flow logs of ${this.resourceName('vpc')} to its log group`,
      assumedBy: 'vpc-flow-logs.amazonaws.com',
      // Only flow logs of this account may assume it (confused deputy protection).
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': config.accountId },
        ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${config.region}:${config.accountId}:vpc-flow-log/*` },
      },
    });
    // Least privilege: streams of this one group only (`<group arn>:*` is how IAM names its streams;
    // the delivery service lists the group's streams before writing).
    flowLogRole.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: this.resourceName('vpc') },
    });

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

  /** The security group of every tier, with the rules between them (descriptions say why). */
  private tierSecurityGroups(): TierSecurityGroups {
    const { config } = this;
    const group = (tier: keyof TierSecurityGroups, description: string) =>
      new SecurityGroup(this, `sg-${tier}`, {
        name: this.resourceName(tier),
        description,
        vpcId: this.vpc.id,
        // Replacing a group referenced by ENIs would hang: drop its rules first.
        revokeRulesOnDelete: true,
        tags: { Name: this.resourceName(tier) },
      });
    const groups: TierSecurityGroups = {
      alb: group('alb', 'Application load balancer: HTTP/HTTPS from the internet'),
      frontend: group('frontend', 'Frontend tasks (Next.js)'),
      backend: group('backend', 'Backend tasks (Spring Boot)'),
      database: group('database', 'PostgreSQL'),
      cache: group('cache', 'Valkey'),
      lambda: group('lambda', 'Lambda functions attached to the VPC'),
      endpoints: group('endpoints', 'Interface VPC endpoints'),
    };

    const fe = config.ecs.frontend.containerPort;
    const be = config.ecs.backend.containerPort;
    // Logical ids say what a rule does, so adding one never renumbers (and replaces) the others.
    const tierOf = (g: SecurityGroup) => Object.entries(groups).find(([, x]) => x === g)?.[0] ?? 'group';
    const peer = (p: { group: SecurityGroup } | { cidr: string }) =>
      'group' in p ? tierOf(p.group) : p.cidr === ANYWHERE_V4 ? 'anywhere' : 'vpc';
    const ingress = (
      to: SecurityGroup,
      port: number,
      description: string,
      from: { group: SecurityGroup } | { cidr: string },
    ) =>
      new VpcSecurityGroupIngressRule(this, `${tierOf(to)}-ingress-${port}-from-${peer(from)}`, {
        securityGroupId: to.id,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        ...('group' in from ? { referencedSecurityGroupId: from.group.id } : { cidrIpv4: from.cidr }),
      });
    const egress = (
      from: SecurityGroup,
      port: number,
      description: string,
      to: { group: SecurityGroup } | { cidr: string },
    ) =>
      new VpcSecurityGroupEgressRule(this, `${tierOf(from)}-egress-${port}-to-${peer(to)}`, {
        securityGroupId: from.id,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        ...('group' in to ? { referencedSecurityGroupId: to.group.id } : { cidrIpv4: to.cidr }),
      });

    // ALB: the only group open to the internet, and only on 80 (redirect) and 443.
    markInternetFacingLoadBalancerGroup(groups.alb);
    ingress(groups.alb, HTTP, 'HTTP from the internet (redirected to HTTPS)', { cidr: ANYWHERE_V4 });
    ingress(groups.alb, HTTPS, 'HTTPS from the internet', { cidr: ANYWHERE_V4 });
    egress(groups.alb, fe, 'To frontend tasks', { group: groups.frontend });
    egress(groups.alb, be, 'To backend tasks', { group: groups.backend });

    ingress(groups.frontend, fe, 'From the load balancer', { group: groups.alb });
    egress(groups.frontend, be, 'Server-side calls to the backend', { group: groups.backend });
    egress(groups.frontend, HTTPS, 'HTTPS: endpoints, S3 gateway, external APIs through NAT', {
      cidr: ANYWHERE_V4,
    });

    ingress(groups.backend, be, 'From the load balancer (traffic and health checks)', { group: groups.alb });
    ingress(groups.backend, be, 'From frontend tasks (server-side calls)', { group: groups.frontend });
    egress(groups.backend, POSTGRES_PORT, 'To PostgreSQL', { group: groups.database });
    egress(groups.backend, VALKEY_PORT, 'To Valkey', { group: groups.cache });
    egress(groups.backend, HTTPS, 'HTTPS: endpoints, AI API, external APIs through NAT', {
      cidr: ANYWHERE_V4,
    });
    // Outgoing mail: SMTP submission (STARTTLS, authenticated) to the configured provider through
    // NAT. Only the submission port: never 25, which is unauthenticated relay.
    for (const cidr of config.mail.smtpDestinationCidrs) {
      new VpcSecurityGroupEgressRule(this, `backend-egress-smtp-to-${cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: groups.backend.id,
        description: `SMTP submission (STARTTLS) to ${config.mail.smtpHost} through NAT`,
        ipProtocol: 'tcp',
        fromPort: config.mail.smtpPort,
        toPort: config.mail.smtpPort,
        cidrIpv4: cidr,
      });
    }

    ingress(groups.database, POSTGRES_PORT, 'PostgreSQL from backend tasks', { group: groups.backend });
    ingress(groups.cache, VALKEY_PORT, 'Valkey from backend tasks', { group: groups.backend });
    // In-VPC functions (the rotation functions) reach Valkey, PostgreSQL and AWS APIs only.
    ingress(groups.cache, VALKEY_PORT, 'Valkey from VPC Lambda functions', { group: groups.lambda });
    egress(groups.lambda, VALKEY_PORT, 'To Valkey', { group: groups.cache });
    // The backend's database user function (roles and grants, password rotation).
    ingress(groups.database, POSTGRES_PORT, 'PostgreSQL from VPC Lambda functions', { group: groups.lambda });
    egress(groups.lambda, POSTGRES_PORT, 'To PostgreSQL', { group: groups.database });
    egress(groups.lambda, HTTPS, 'HTTPS: AWS APIs through endpoints or NAT', { cidr: ANYWHERE_V4 });

    ingress(groups.endpoints, HTTPS, 'HTTPS from inside the VPC', { cidr: config.network.vpcCidr });
    return groups;
  }
}
