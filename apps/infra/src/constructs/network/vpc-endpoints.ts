import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import type { Construct } from 'constructs';
import { FlatConstruct } from '../flat-construct.js';

/** Interface endpoints: what ECS tasks and Lambda functions reach without the NAT gateways. */
const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs'] as const;
/** Gateway endpoints (free, on the private route tables). */
const GATEWAY_ENDPOINT_SERVICES = ['s3', 'dynamodb'] as const;

export interface VpcEndpointsProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly region: string;
  readonly vpcId: string;
  /** The app tier's route tables (the gateway endpoints' prefix lists are added to them). */
  readonly routeTableIds: string[];
  /** The app tier's subnets (one interface endpoint network interface in each). */
  readonly subnetIds: string[];
  /** The endpoints' group (HTTPS from inside the VPC). */
  readonly securityGroupId: string;
}

/** The VPC's gateway and interface endpoints, with private DNS so SDK clients use them unchanged. */
export class VpcEndpoints extends FlatConstruct {
  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const serviceName = (service: string) => `com.amazonaws.${props.region}.${service}`;
    for (const service of GATEWAY_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `endpoint-${service}`, {
        vpcId: props.vpcId,
        serviceName: serviceName(service),
        vpcEndpointType: 'Gateway',
        routeTableIds: props.routeTableIds,
        tags: { Name: props.resourceName(service) },
      });
    }
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `endpoint-${service.replace('.', '-')}`, {
        vpcId: props.vpcId,
        serviceName: serviceName(service),
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [props.securityGroupId],
        tags: { Name: props.resourceName(service.replace('.', '-')) },
      });
    }
  }
}
