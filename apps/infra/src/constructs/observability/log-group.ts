import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { Construct } from 'constructs';
import type { EncryptionKey } from '../security/kms-key.js';

export interface EncryptedLogGroupProps {
  /** Full log group name, e.g. `/aws/lambda/bandup-dev-submit` or `/bandup/dev/ecs/frontend`. */
  readonly name: string;
  readonly retentionInDays: number;
  /** Key whose policy admits `logs.<region>.amazonaws.com` (the data stack's logs key). */
  readonly kmsKey: EncryptionKey | { readonly arn: string };
}

/**
 * A CloudWatch log group that Terraform owns (so retention and KMS are set before the first log
 * line, instead of a service creating an unencrypted, never-expiring group on first write).
 */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'group', {
      name: props.name,
      retentionInDays: props.retentionInDays,
      kmsKeyId: props.kmsKey.arn,
    });
  }

  get arn(): string {
    return this.logGroup.arn;
  }

  get name(): string {
    return this.logGroup.name;
  }
}

/** The key policy statement a logs key needs so CloudWatch Logs can encrypt this account's groups. */
export function logsServicePrincipal(accountId: string, region: string) {
  return {
    principal: `logs.${region}.amazonaws.com`,
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` },
    },
  } as const;
}
