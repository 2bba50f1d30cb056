import { Construct } from 'constructs';
import { logsServicePrincipal } from '../observability/log-group.js';
import { EncryptionKey } from './kms-key.js';

export interface PlatformKeysProps {
  readonly accountId: string;
  readonly region: string;
  /** `bandup-<env>`: aliases become `alias/bandup-<env>-<purpose>`. */
  readonly namePrefix: string;
  readonly environment: string;
  /** `prevent_destroy` (prod): a deleted key makes everything it encrypted unreadable. */
  readonly preventDestroy: boolean;
}

/**
 * The environment's customer managed keys, one per purpose, each with rotation on and a key policy
 * that admits only the services that use it.
 *
 * Who uses which key (the key policy is the left column's services and nothing else):
 *
 * | key       | used through (kms:ViaService)                         | by                                                            |
 * |-----------|-------------------------------------------------------|---------------------------------------------------------------|
 * | `data`    | rds                                                   | RDS storage, automated backups and snapshots, Performance Insights (data stack) |
 * |           | elasticache                                           | Valkey at-rest encryption and snapshots (data stack)          |
 * |           | s3                                                    | uploads and media buckets (data stack); Transcribe output written into uploads (ai stack) |
 * |           | dynamodb                                              | jobs table (ai stack)                                         |
 * |           | transcribe                                            | Transcribe encrypting its output with `OutputEncryptionKMSKeyId` = this key (ai stack, on the caller's behalf) |
 * |           | lambda                                                | environment of the cache password rotation function (data stack) |
 * | `logs`    | service principal `logs.<region>.amazonaws.com`, only for this account's log groups (encryption context) | every log group of data, ai and app stacks (RDS exports, Valkey slow log, Lambda, API Gateway, WAF, ECS) |
 * | `secrets` | secretsmanager                                        | RDS managed master password, Valkey password, backend and Gemini secrets (data stack), AI API key secret (ai stack) |
 *
 * Not here, on purpose: SQS queues fed by EventBridge (`events.amazonaws.com` must use the queue's
 * key directly) and SNS alarm topics (`cloudwatch.amazonaws.com` publishes to them) belong to the AI
 * and app stacks, which own keys whose policies admit those principals. Keeping them off these keys
 * means no service principal outside CloudWatch Logs can ever use the data or secrets key directly.
 * ALB access logs and S3 server access logs cannot use SSE-KMS at all (see the data stack).
 */
export class PlatformKeys extends Construct {
  readonly data: EncryptionKey;
  readonly logs: EncryptionKey;
  readonly secrets: EncryptionKey;

  constructor(scope: Construct, id: string, props: PlatformKeysProps) {
    super(scope, id);
    const { accountId, region, namePrefix, environment, preventDestroy } = props;
    // Unprotected (dev): the shortest pending-deletion window KMS allows. Re-creating the
    // environment makes new keys under the same aliases (aliases are deleted at once), so the
    // window only delays the end of billing, never a re-create.
    const common = {
      accountId,
      region,
      preventDestroy,
      deletionWindowInDays: preventDestroy ? 30 : 7,
    } as const;

    this.data = new EncryptionKey(this, 'data', {
      ...common,
      alias: `${namePrefix}-data`,
      description: `Bandup ${environment}: data at rest (RDS, ElastiCache, S3 buckets, DynamoDB)`,
      viaServices: ['rds', 'elasticache', 's3', 'dynamodb', 'transcribe', 'lambda'],
      // CloudFront (origin access control) decrypts media objects for this account's distributions.
      servicePrincipals: [
        {
          principal: 'cloudfront.amazonaws.com',
          actions: ['kms:Decrypt'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudfront::${accountId}:distribution/*` },
          },
        },
      ],
    });

    this.logs = new EncryptionKey(this, 'logs', {
      ...common,
      alias: `${namePrefix}-logs`,
      description: `Bandup ${environment}: CloudWatch Logs log groups`,
      // Account principals read log events through CloudWatch Logs, which decrypts with its own
      // principal; `logs` here only lets account principals manage groups that reference the key.
      viaServices: ['logs'],
      servicePrincipals: [logsServicePrincipal(accountId, region)],
    });

    this.secrets = new EncryptionKey(this, 'secrets', {
      ...common,
      alias: `${namePrefix}-secrets`,
      description: `Bandup ${environment}: Secrets Manager secrets`,
      viaServices: ['secretsmanager'],
    });
  }
}
