import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';
import { renderPolicy } from '../security/iam/policy-document.js';
import { POSTGRES_PORT } from './ports.js';

export interface PostgresDatabaseProps {
  /** RDS instance identifier, `bandup-<env>-postgres`. */
  readonly identifier: string;
  readonly accountId: string;
  /** `17` or `17.4`: the parameter group family is `postgres<major>`. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGib: number;
  /** Storage autoscaling ceiling. */
  readonly maxAllocatedStorageGib: number;
  readonly multiAz: boolean;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** Data subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The network stack's database group (5432 only from the backend's group). */
  readonly securityGroupIds: readonly string[];
  /** Storage and Performance Insights. */
  readonly dataKey: { readonly arn: string };
  /** The RDS-managed master user secret. */
  readonly secretsKey: { readonly arn: string };
  /** The exported PostgreSQL logs. */
  readonly logsKey: { readonly arn: string };
  readonly logRetentionDays: number;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly monitoringIntervalSeconds: number;
  readonly performanceInsightsRetentionDays: number;
  /** Statements slower than this are logged (`log_min_duration_statement`). */
  readonly slowStatementMs: number;
  /** Deletion protection and `prevent_destroy`. */
  readonly protect: boolean;
  /**
   * Take a final snapshot on delete, named `<identifier>-final-<suffix>`: the suffix must differ
   * for each generation of the instance (the data stack uses its data key's id, new with every
   * re-created environment), or the next destroy fails on an existing snapshot name. Omitted: no
   * final snapshot (disposable data; docs/teardown.md).
   */
  readonly finalSnapshotSuffix?: string;
}

/** Logs RDS exports to CloudWatch (the group names RDS writes to are fixed by the service). */
export const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/** Current RSA 2048 CA: clients pin `rds-ca-rsa2048-g1` (valid to 2061) with `sslmode=verify-full`. */
const RDS_CA_CERTIFICATE = 'rds-ca-rsa2048-g1';

/**
 * RDS for PostgreSQL, private and encrypted: the managed master password lives in Secrets Manager
 * (RDS generates and rotates it, every 7 days by default; it never reaches Terraform; only the
 * app-user function reads it), TLS forced by the server, slow statements logged and
 * exported to KMS-encrypted log groups that Terraform creates first, Performance Insights and
 * Enhanced Monitoring on, backups with tags, a uniquely named final snapshot on delete (when kept).
 */
export class PostgresDatabase extends Construct {
  readonly instance: DbInstance;
  readonly parameterGroup: DbParameterGroup;
  readonly subnetGroup: DbSubnetGroup;
  readonly monitoringRole?: IamRole;
  readonly logGroups: Record<(typeof POSTGRES_LOG_EXPORTS)[number], EncryptedLogGroup>;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const major = props.engineVersion.split('.')[0];
    if (props.subnetIds.length < 2) {
      // RDS refuses a DB subnet group that does not cover two AZs, even for a Single-AZ instance.
      throw new Error(
        `Database ${props.identifier}: a DB subnet group needs subnets in at least two AZs, got ${props.subnetIds.length}`,
      );
    }

    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.identifier,
      description: `Data subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });

    // A name prefix, so that a replacement (new family on a major upgrade) can be created before the
    // old group is destroyed: a fixed name would collide with itself.
    this.parameterGroup = new DbParameterGroup(this, 'parameters', {
      namePrefix: `${props.identifier}-postgres${major}-`,
      family: `postgres${major}`,
      description: `${props.identifier}: TLS only, slow statement logging`,
      parameter: [
        // Refuse every connection that is not TLS (the backend uses sslmode=require or stricter).
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_min_duration_statement', value: String(props.slowStatementMs) },
        // Lock waits and temp files are the usual causes of slow statements: log them too.
        { name: 'log_lock_waits', value: '1' },
        { name: 'log_temp_files', value: '10240' },
        // Never log statement text of every query (it could contain personal data); DDL only.
        { name: 'log_statement', value: 'ddl' },
        { name: 'password_encryption', value: 'scram-sha-256' },
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    // Created before the instance, so the first exported line lands in a group with KMS and retention.
    this.logGroups = Object.fromEntries(
      POSTGRES_LOG_EXPORTS.map((type) => [
        type,
        new EncryptedLogGroup(this, `${type}-logs`, {
          name: `/aws/rds/instance/${props.identifier}/${type}`,
          retentionInDays: props.logRetentionDays,
          kmsKey: props.logsKey,
        }),
      ]),
    ) as Record<(typeof POSTGRES_LOG_EXPORTS)[number], EncryptedLogGroup>;

    if (props.monitoringIntervalSeconds > 0) {
      // The AWS managed AmazonRDSEnhancedMonitoringRole is the exact least-privilege set AWS publishes
      // for this one job (create and write the RDSOSMetrics log group); the trust policy is limited
      // to RDS monitoring acting for this account.
      this.monitoringRole = new IamRole(this, 'monitoring-role', {
        name: `${props.identifier}-monitoring`,
        description: `Enhanced Monitoring of ${props.identifier}`,
        assumeRolePolicy: renderPolicy([
          {
            actions: ['sts:AssumeRole'],
            principals: { Service: 'monitoring.rds.amazonaws.com' },
            resources: [],
            conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ]),
      });
      new IamRolePolicyAttachment(this, 'monitoring-policy', {
        role: this.monitoringRole.name,
        policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      });
    }

    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: 'postgres',
      engineVersion: props.engineVersion,
      autoMinorVersionUpgrade: true,
      instanceClass: props.instanceClass,
      storageType: 'gp3',
      allocatedStorage: props.allocatedStorageGib,
      maxAllocatedStorage: props.maxAllocatedStorageGib,
      storageEncrypted: true,
      kmsKeyId: props.dataKey.arn,
      multiAz: props.multiAz,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      caCertIdentifier: RDS_CA_CERTIFICATE,
      dbName: props.databaseName,
      username: props.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.secretsKey.arn,
      iamDatabaseAuthenticationEnabled: true,
      parameterGroupName: this.parameterGroup.name,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !props.protect,
      skipFinalSnapshot: props.finalSnapshotSuffix === undefined,
      finalSnapshotIdentifier:
        props.finalSnapshotSuffix === undefined
          ? undefined
          : `${props.identifier}-final-${props.finalSnapshotSuffix}`,
      deletionProtection: props.protect,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.dataKey.arn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      // Changes wait for the maintenance window unless an operator applies them on purpose.
      applyImmediately: false,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
      dependsOn: Object.values(this.logGroups).map((g) => g.logGroup),
    });
  }

  get address(): string {
    return this.instance.address;
  }

  get port(): number {
    return this.instance.port;
  }

  get arn(): string {
    return this.instance.arn;
  }

  /** `db-...`: what `rds-db:connect` ARNs name. */
  get resourceId(): string {
    return this.instance.resourceId;
  }

  /** ARN of the RDS-managed secret (JSON `username`, `password`). */
  get masterUserSecretArn(): string {
    return this.instance.masterUserSecret.get(0).secretArn;
  }
}
