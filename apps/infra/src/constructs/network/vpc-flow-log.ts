import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import type { Construct } from 'constructs';
import { FlatConstruct } from '../flat-construct.js';
import { EncryptedLogGroup, logsServicePrincipal } from '../observability/log-group.js';
import { ServiceRole } from '../security/iam/service-role.js';
import { EncryptionKey } from '../security/kms-key.js';

export interface VpcFlowLogProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly retentionInDays: number;
  /** `prevent_destroy` on the key. */
  readonly protect: boolean;
}

/**
 * Flow logs of every accepted and rejected flow of a VPC, to a log group encrypted with its own
 * KMS key, delivered by a role that only this account's flow logs may assume and that writes to
 * this one group only.
 */
export class VpcFlowLog extends FlatConstruct {
  readonly key: EncryptionKey;
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const { accountId, region, resourceName } = props;
    this.key = new EncryptionKey(this, 'flow-log-key', {
      accountId,
      region,
      alias: resourceName('flow-logs'),
      description: `Encrypts the VPC flow logs of ${resourceName('vpc')}`,
      viaServices: ['logs'],
      servicePrincipals: [logsServicePrincipal(accountId, region)],
      preventDestroy: props.protect,
    });
    this.logGroup = new EncryptedLogGroup(this, 'flow-log-group', {
      name: `/bandup/${props.environment}/vpc-flow-logs`,
      retentionInDays: props.retentionInDays,
      kmsKey: this.key,
    });
    const role = new ServiceRole(this, 'flow-log-role', {
      name: resourceName('vpc-flow-logs'),
      description: `Delivers the flow logs of ${resourceName('vpc')} to its log group`,
      assumedBy: 'vpc-flow-logs.amazonaws.com',
      // Only flow logs of this account may assume it (confused deputy protection).
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*` },
      },
    });
    // `<group arn>:*` is how IAM names the group's streams; delivery lists them before writing.
    role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: resourceName('vpc') },
    });
  }
}
