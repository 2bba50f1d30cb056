import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { Construct } from 'constructs';
import {
  type ConditionBlock,
  type Grantee,
  type PolicyStatement,
  renderPolicy,
} from './iam/policy-document.js';

/** A service principal that uses the key directly (not through a caller's IAM permissions). */
interface KeyServicePrincipal {
  /** e.g. `logs.ap-southeast-1.amazonaws.com`, `events.amazonaws.com`. */
  readonly principal: string;
  readonly actions: readonly string[];
  readonly conditions?: ConditionBlock;
}

export interface EncryptionKeyProps {
  readonly accountId: string;
  readonly region: string;
  /** Alias without the `alias/` prefix: `bandup-<env>-<purpose>`. */
  readonly alias: string;
  readonly description: string;
  /**
   * AWS services through which principals of this account may use the key (`kms:ViaService`),
   * e.g. `['rds', 's3', 'secretsmanager']`. Use outside these services is refused by the key policy.
   */
  readonly viaServices: readonly string[];
  /** Services that call KMS themselves (CloudWatch Logs, EventBridge, SNS publishers...). */
  readonly servicePrincipals?: readonly KeyServicePrincipal[];
  /**
   * Extra key policy statements, for callers that use the key directly rather than through a
   * service (e.g. the SSM agent in ECS Exec sessions). The call site must say why.
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** Days before a scheduled deletion completes (7-30). */
  readonly deletionWindowInDays?: number;
  /** Terraform `prevent_destroy`: on for keys that encrypt production data. */
  readonly preventDestroy?: boolean;
}

/** Usage permissions granted to IAM principals (and via-service callers). */
const USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];
/** Administration without usage: the account can manage, rotate and delete the key, not read data with it. */
const ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/**
 * A customer managed KMS key for one purpose, with rotation on and a key policy that lets this
 * account administer it and use it only through the named AWS services (or by the named service
 * principals). Callers still need an IAM grant (`grantEncryptDecrypt`), so both sides must agree.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  private readonly accountRoot: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.accountRoot = `arn:aws:iam::${props.accountId}:root`;
    // In a key policy, Resource "*" means "this key": key policies cannot name their own ARN.
    const statements: PolicyStatement[] = [
      {
        sid: 'AccountAdministersKey',
        principals: { AWS: this.accountRoot },
        actions: ADMIN_ACTIONS,
        resources: ['*'],
      },
      {
        sid: 'AccountUsesKeyThroughServices',
        principals: { AWS: this.accountRoot },
        actions: [...USE_ACTIONS, 'kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': props.accountId },
          'ForAnyValue:StringEquals': {
            'kms:ViaService': props.viaServices.map((service) => `${service}.${props.region}.amazonaws.com`),
          },
        },
      },
      ...(props.servicePrincipals ?? []).map(
        (sp, i): PolicyStatement => ({
          sid: `ServiceUse${i}`,
          principals: { Service: sp.principal },
          actions: sp.actions,
          resources: ['*'],
          conditions: sp.conditions,
        }),
      ),
      ...(props.additionalStatements ?? []),
    ];
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: renderPolicy(statements),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }

  /** Encrypt and decrypt data keys (writers and readers of encrypted resources). */
  grantEncryptDecrypt(grantee: Grantee): void {
    grantee.addToPolicy({ actions: USE_ACTIONS, resources: [this.key.arn] });
  }

  /** Decrypt only (readers). */
  grantDecrypt(grantee: Grantee): void {
    grantee.addToPolicy({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [this.key.arn] });
  }
}
