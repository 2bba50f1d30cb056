import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation/index.js';
import { AssetType, type ITerraformDependable, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceRole } from './iam/service-role.js';
import { vpcFunctionStatements } from './iam/vpc-function-statements.js';
import type { EncryptionKey } from './kms-key.js';
import { EncryptedLogGroup } from './observability/log-group.js';
import { bundledFunctionArchive } from './serverless/bundled-function-code.js';

/** `apps/infra/src/lambda/postgres-app-user`, found from `src/constructs` and `dist/constructs` alike. */
export const POSTGRES_APP_USER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../src/lambda/postgres-app-user',
);

/** The two login users that take turns (alternating-users rotation), named after the owner role. */
export function loginUsers(ownerRole: string): readonly [string, string] {
  return [`${ownerRole}_blue`, `${ownerRole}_green`];
}

export interface PostgresAppUserProps {
  /** Secret name, `bandup/<env>/database/app-credentials`. */
  readonly secretName: string;
  /** Function name, `bandup-<env>-postgres-app-user`. */
  readonly functionName: string;
  readonly accountId: string;
  readonly region: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    /** The RDS-managed master secret (only this function reads it), encrypted with `secretsKey`. */
    readonly masterSecretArn: string;
  };
  /** NOLOGIN role that owns the application's objects; the login users are `<owner>_blue|_green`. */
  readonly ownerRole: string;
  /** Subnets with a route to Secrets Manager (endpoint or NAT), a group the database admits. */
  readonly vpc: { readonly subnetIds: readonly string[]; readonly securityGroupId: string };
  readonly rotationDays: number;
  readonly secretsKey: EncryptionKey;
  readonly environmentKey: { readonly arn: string };
  readonly logsKey: { readonly arn: string };
  readonly logRetentionDays: number;
  readonly recoveryWindowDays: number;
  readonly protect: boolean;
  /** What must exist before the bootstrap runs (the instance, the security group rules). */
  readonly bootstrapAfter: readonly ITerraformDependable[];
}

/**
 * The backend's own PostgreSQL credentials (never the master user's). One VPC function, bundled
 * with `pg`, first creates the roles and grants (Terraform invokes it on apply: prod has no bastion),
 * then rotates the application secret with the alternating-users strategy. The secret's value is
 * made by the rotation (Secrets Manager generates the password), so none is in code, plan or state.
 */
export class PostgresAppUser extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly bootstrap: LambdaInvocation;
  readonly rotation: SecretsmanagerSecretRotation;
  readonly users: readonly [string, string];

  constructor(scope: Construct, id: string, props: PostgresAppUserProps) {
    super(scope, id);
    this.users = loginUsers(props.ownerRole);

    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: `Backend PostgreSQL login (${this.users.join(' / ')}, alternating); rotated by ${props.functionName}`,
      kmsKeyId: props.secretsKey.arn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });

    const logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logsKey,
    });

    this.role = new ServiceRole(this, 'role', {
      name: props.functionName.slice(0, 64),
      description: `Creates the backend's PostgreSQL roles and rotates ${props.secretName}`,
      assumedBy: 'lambda.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
    });
    this.role.addToPolicy({
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resources: [this.secret.arn],
    });
    this.role.addToPolicy({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [props.database.masterSecretArn],
    });
    // GetRandomPassword touches no resource: "*" is its only valid resource.
    this.role.addToPolicy({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] });
    props.secretsKey.grantEncryptDecrypt(this.role);
    this.role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.arn}:log-stream:*`],
    });
    this.role.addToPolicy({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    });
    for (const statement of vpcFunctionStatements({ ...props, ...props.vpc }))
      this.role.addToPolicy(statement);

    const archive = bundledFunctionArchive(POSTGRES_APP_USER_DIR);
    const asset = new TerraformAsset(this, 'code', {
      path: archive.path,
      type: AssetType.FILE,
      assetHash: archive.contentHash,
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: `Backend PostgreSQL roles and rotation of ${props.secretName}`,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: archive.sha256Base64,
      memorySize: 256,
      timeout: 60,
      // Rotation steps of one secret never need to run side by side; one also caps what this
      // function can take from the account's concurrency pool.
      reservedConcurrentExecutions: 1,
      environment: {
        variables: {
          DB_HOST: props.database.host,
          DB_PORT: String(props.database.port),
          DB_NAME: props.database.name,
          DB_OWNER_ROLE: props.ownerRole,
          DB_LOGIN_USERS: this.users.join(','),
          MASTER_SECRET_ARN: props.database.masterSecretArn,
          // The runtime's Amazon CA bundle (RDS CAs included): TLS to RDS is verified, not just encrypted.
          NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        },
      },
      vpcConfig: { subnetIds: [...props.vpc.subnetIds], securityGroupIds: [props.vpc.securityGroupId] },
      kmsKeyArn: props.environmentKey.arn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: logGroup.name,
        applicationLogLevel: 'INFO',
        systemLogLevel: 'WARN',
      },
      dependsOn: [logGroup.logGroup, this.role.node.findChild('policy') as IamRolePolicy],
    });

    // Roles and grants on every apply that changes the code or the role layout (idempotent SQL).
    this.bootstrap = new LambdaInvocation(this, 'bootstrap', {
      functionName: this.function.functionName,
      input: JSON.stringify({ action: 'bootstrap' }),
      triggers: {
        code: archive.contentHash,
        layout: [props.database.name, props.ownerRole, ...this.users].join(','),
      },
      dependsOn: [this.function, ...props.bootstrapAfter],
    });

    const permission = new LambdaPermission(this, 'secretsmanager-invoke', {
      statementId: 'SecretsManagerRotation',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: this.secret.arn,
      sourceAccount: props.accountId,
    });

    // The first rotation (on creation) makes the first value; the users must exist by then.
    this.rotation = new SecretsmanagerSecretRotation(this, 'rotation', {
      secretId: this.secret.id,
      rotationLambdaArn: this.function.arn,
      rotateImmediately: true,
      rotationRules: { automaticallyAfterDays: props.rotationDays },
      dependsOn: [permission, this.bootstrap],
    });
  }

  get arn(): string {
    return this.secret.arn;
  }
}
