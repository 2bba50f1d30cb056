import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation/index.js';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import type { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ServiceRole } from '../security/iam/service-role.js';
import type { EncryptionKey } from '../security/kms-key.js';
import { bundledFunctionArchive } from '../serverless/bundled-function-code.js';
import type { LambdaArchive } from '../serverless/lambda-archive.js';
import { RotatedSecret } from './rotated-secret.js';

/** `apps/infra/src/lambda/postgres-app-user`, found from `src/constructs/data` and `dist/constructs/data` alike. */
export const POSTGRES_APP_USER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../src/lambda/postgres-app-user',
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
    const archive = bundledFunctionArchive(POSTGRES_APP_USER_DIR);
    // Made inside the rotated secret (it needs the function), before the first rotation.
    let bootstrap: LambdaInvocation | undefined;
    const rotated = new RotatedSecret(this, 'rotated-secret', {
      ...props,
      secretDescription: `Backend PostgreSQL login (${this.users.join(' / ')}, alternating); rotated by ${props.functionName}`,
      functionDescription: `Backend PostgreSQL roles and rotation of ${props.secretName}`,
      roleDescription: `Creates the backend's PostgreSQL roles and rotates ${props.secretName}`,
      code: archive,
      timeoutSeconds: 60,
      environment: {
        DB_HOST: props.database.host,
        DB_PORT: String(props.database.port),
        DB_NAME: props.database.name,
        DB_OWNER_ROLE: props.ownerRole,
        DB_LOGIN_USERS: this.users.join(','),
        MASTER_SECRET_ARN: props.database.masterSecretArn,
        // The runtime's Amazon CA bundle (RDS CAs included): TLS to RDS is verified, not just encrypted.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
      // It logs in as the master user to create the roles and set the login users' passwords.
      readsSecretArns: [props.database.masterSecretArn],
      // The first rotation (on creation) makes the first value; the users must exist by then.
      rotateAfter: (rotationFunction) => {
        bootstrap = this.bootstrapRoles(rotationFunction, archive, props);
        return [bootstrap];
      },
    });
    this.secret = rotated.secret;
    this.function = rotated.function;
    this.role = rotated.role;
    this.rotation = rotated.rotation;
    this.bootstrap = bootstrap as LambdaInvocation;
  }

  /** Roles and grants on every apply that changes the code or the role layout (idempotent SQL). */
  private bootstrapRoles(
    rotationFunction: LambdaFunction,
    archive: LambdaArchive,
    props: PostgresAppUserProps,
  ): LambdaInvocation {
    return new LambdaInvocation(this, 'bootstrap', {
      functionName: rotationFunction.functionName,
      input: JSON.stringify({ action: 'bootstrap' }),
      triggers: {
        code: archive.contentHash,
        layout: [props.database.name, props.ownerRole, ...this.users].join(','),
      },
      dependsOn: [rotationFunction, ...props.bootstrapAfter],
    });
  }

  get arn(): string {
    return this.secret.arn;
  }
}
