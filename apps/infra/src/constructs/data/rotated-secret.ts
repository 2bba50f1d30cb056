import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation/index.js';
import { AssetType, type ITerraformDependable, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { FlatConstruct } from '../flat-construct.js';
import { EncryptedLogGroup } from '../observability/log-group.js';
import type { PolicyStatement } from '../security/iam/policy-document.js';
import { ServiceRole } from '../security/iam/service-role.js';
import { vpcFunctionStatements } from '../security/iam/vpc-function-statements.js';
import type { EncryptionKey } from '../security/kms-key.js';
import type { LambdaArchive } from '../serverless/lambda-archive.js';

export interface RotatedSecretProps {
  readonly secretName: string;
  readonly secretDescription: string;
  /** Rotation function name, `bandup-<env>-<what>` (also the role's name and its log group's). */
  readonly functionName: string;
  readonly functionDescription: string;
  readonly roleDescription: string;
  readonly accountId: string;
  readonly region: string;
  /** The rotation function's code (`index.handler`, nodejs22.x, arm64). */
  readonly code: LambdaArchive;
  readonly timeoutSeconds: number;
  /** The function's environment: endpoints and names only (it is KMS-encrypted all the same). */
  readonly environment: Readonly<Record<string, string>>;
  /** Other secrets the function reads (e.g. the master login it changes passwords with). */
  readonly readsSecretArns?: readonly string[];
  /** What the function may do on the service whose credential it rotates. */
  readonly accessStatements?: readonly PolicyStatement[];
  /**
   * Where the function runs: subnets with a route to the Secrets Manager API (endpoint or NAT) and
   * a group that the credential's service admits, so the new value is tried before it is promoted.
   */
  readonly vpc: { readonly subnetIds: readonly string[]; readonly securityGroupId: string };
  readonly secretsKey: EncryptionKey;
  /** Encrypts the function's environment. */
  readonly environmentKey: { readonly arn: string };
  readonly logsKey: { readonly arn: string };
  readonly logRetentionDays: number;
  readonly recoveryWindowDays: number;
  readonly protect: boolean;
  readonly rotationDays: number;
  /** What must exist before the first rotation runs (given the function, e.g. an invocation of it). */
  readonly rotateAfter?: (rotationFunction: LambdaFunction) => readonly ITerraformDependable[];
}

/**
 * A Secrets Manager secret whose value only its rotation function makes: the function (in the VPC,
 * traced, JSON logs to an encrypted group, one concurrent run), its least-privilege role, the
 * permission that lets only Secrets Manager invoke it for this secret, and the rotation, which
 * runs at once on creation (that makes the first value) and then every `rotationDays`. No value
 * is ever written by Terraform, so none is in code, plan or state.
 */
export class RotatedSecret extends FlatConstruct {
  readonly secret: SecretsmanagerSecret;
  readonly role: ServiceRole;
  readonly logGroup: EncryptedLogGroup;
  readonly function: LambdaFunction;
  readonly rotation: SecretsmanagerSecretRotation;

  constructor(scope: Construct, id: string, props: RotatedSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: props.secretDescription,
      kmsKeyId: props.secretsKey.arn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logsKey,
    });
    this.role = this.rotationRole(props);
    this.function = this.rotationFunction(props);

    const permission = new LambdaPermission(this, 'secretsmanager-invoke', {
      statementId: 'SecretsManagerRotation',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: this.secret.arn,
      sourceAccount: props.accountId,
    });
    this.rotation = new SecretsmanagerSecretRotation(this, 'rotation', {
      secretId: this.secret.id,
      rotationLambdaArn: this.function.arn,
      rotateImmediately: true,
      rotationRules: { automaticallyAfterDays: props.rotationDays },
      dependsOn: [permission, ...(props.rotateAfter?.(this.function) ?? [])],
    });
  }

  private rotationRole(props: RotatedSecretProps): ServiceRole {
    const role = new ServiceRole(this, 'role', {
      name: props.functionName.slice(0, 64),
      description: props.roleDescription,
      assumedBy: 'lambda.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
    });
    role.addToPolicy({
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resources: [this.secret.arn],
    });
    if (props.readsSecretArns?.length) {
      role.addToPolicy({ actions: ['secretsmanager:GetSecretValue'], resources: [...props.readsSecretArns] });
    }
    // GetRandomPassword touches no resource: "*" is its only valid resource.
    role.addToPolicy({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] });
    for (const statement of props.accessStatements ?? []) role.addToPolicy(statement);
    props.secretsKey.grantEncryptDecrypt(role);
    role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${this.logGroup.arn}:log-stream:*`],
    });
    // X-Ray has no resource-level permissions for these two actions.
    role.addToPolicy({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] });
    for (const statement of vpcFunctionStatements({ ...props, ...props.vpc })) role.addToPolicy(statement);
    return role;
  }

  private rotationFunction(props: RotatedSecretProps): LambdaFunction {
    const asset = new TerraformAsset(this, 'code', {
      path: props.code.path,
      type: AssetType.FILE,
      assetHash: props.code.contentHash,
    });
    return new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.functionDescription,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: props.code.sha256Base64,
      memorySize: 256,
      timeout: props.timeoutSeconds,
      // Rotation steps of one secret never run side by side; one also caps this function's share of
      // the account's concurrency pool.
      reservedConcurrentExecutions: 1,
      environment: { variables: { ...props.environment } },
      vpcConfig: { subnetIds: [...props.vpc.subnetIds], securityGroupIds: [props.vpc.securityGroupId] },
      kmsKeyArn: props.environmentKey.arn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: this.logGroup.name,
        applicationLogLevel: 'INFO',
        systemLogLevel: 'WARN',
      },
      dependsOn: [this.logGroup.logGroup, this.role.node.findChild('policy') as IamRolePolicy],
    });
  }
}
