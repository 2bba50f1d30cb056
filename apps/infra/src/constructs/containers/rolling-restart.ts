import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';
import { ServiceRole } from '../security/iam/service-role.js';
import { buildLambdaArchive } from '../serverless/lambda-archive.js';

/** `apps/infra/src/lambda/rolling-restart` (plain ESM, the runtime's AWS SDK: no bundle). */
export const ROLLING_RESTART_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../src/lambda/rolling-restart',
);

export interface RollingRestartProps {
  /** Function and rule name, `bandup-<env>-backend-restart`. */
  readonly name: string;
  readonly accountId: string;
  readonly cluster: { readonly arn: string; readonly name: string };
  /** The services whose tasks hold the secrets (ARNs, e.g. `aws_ecs_service.id`). */
  readonly serviceArns: readonly string[];
  /** Secrets whose successful rotation restarts the services. */
  readonly secretArns: readonly string[];
  readonly environmentKey: { readonly arn: string };
  readonly logsKey: { readonly arn: string };
  readonly logRetentionDays: number;
}

/**
 * Secrets Manager rotation (`RotationSucceeded`) -> EventBridge -> a function that starts a new
 * deployment of each backend service, so running tasks pick up the new credential long before the
 * rotation after next invalidates the one they hold.
 */
export class RollingRestart extends Construct {
  readonly function: LambdaFunction;
  readonly rule: CloudwatchEventRule;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: RollingRestartProps) {
    super(scope, id);
    const logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logsKey,
    });
    this.role = new ServiceRole(this, 'role', {
      name: props.name.slice(0, 64),
      description: 'Restarts the backend services after a credential rotation',
      assumedBy: 'lambda.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
    });
    this.role.addToPolicy({
      actions: ['ecs:UpdateService'],
      resources: [...props.serviceArns],
      conditions: { ArnEquals: { 'ecs:cluster': props.cluster.arn } },
    });
    this.role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.arn}:log-stream:*`],
    });

    const archive = buildLambdaArchive(ROLLING_RESTART_DIR);
    const asset = new TerraformAsset(this, 'code', {
      path: archive.path,
      type: AssetType.FILE,
      assetHash: archive.contentHash,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.name,
      description: 'Rolling restart of the backend services after a credential rotation',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: archive.sha256Base64,
      memorySize: 128,
      timeout: 30,
      // A handful of events a month; one at a time is plenty and caps its share of the account pool.
      reservedConcurrentExecutions: 1,
      environment: {
        variables: {
          CLUSTER_ARN: props.cluster.arn,
          SERVICE_ARNS: props.serviceArns.join(','),
          SECRET_ARNS: props.secretArns.join(','),
        },
      },
      kmsKeyArn: props.environmentKey.arn,
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: logGroup.name,
        applicationLogLevel: 'INFO',
        systemLogLevel: 'WARN',
      },
      dependsOn: [logGroup.logGroup, this.role.node.findChild('policy') as IamRolePolicy],
    });
    // Failed restarts are retried by Lambda (async invocation), for up to six hours.
    new LambdaFunctionEventInvokeConfig(this, 'retries', {
      functionName: this.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 21_600,
    });

    // Secrets Manager reports rotations as CloudTrail service events (not API calls).
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      description: 'Successful rotation of a backend credential',
      eventPattern: JSON.stringify(rotationSucceededPattern(props.secretArns)),
    });
    new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      arn: this.function.arn,
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 },
    });
    new LambdaPermission(this, 'events-invoke', {
      statementId: 'RotationSucceeded',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
  }
}

/** EventBridge pattern of a successful rotation of one of the given secrets. */
function rotationSucceededPattern(secretArns: readonly string[]) {
  return {
    source: ['aws.secretsmanager'],
    'detail-type': ['AWS Service Event via CloudTrail'],
    detail: {
      eventSource: ['secretsmanager.amazonaws.com'],
      eventName: ['RotationSucceeded'],
      additionalEventData: { SecretId: [...secretArns] },
    },
  };
}
