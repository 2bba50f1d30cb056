import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../flat-construct.js';
import type { DataTierProps } from './data-tier-props.js';
import { PostgresAppUser } from './postgres-app-user.js';
import { PostgresDatabase } from './postgres-database.js';

/** Database name the backend (Hibernate) expects. */
const DATABASE_NAME = 'band_up';
/**
 * RDS master user: only the app-user function logs in with it. The backend logs in as
 * `<config.ecs.backendDatabaseUser>_blue` or `_green` (whichever the application secret holds).
 */
const DATABASE_MASTER_USER = 'bandup_admin';

export interface DatabaseTierProps extends DataTierProps {
  readonly database: EnvironmentConfig['database'];
  /** The role that owns the schema; the backend's two login users are made from it. */
  readonly backendDatabaseUser: string;
  /** The database group (5432 only from the backend's group and the in-VPC functions' group). */
  readonly securityGroupId: string;
}

/** How the backend and the alarms reach the database. */
export interface DatabaseConnection {
  readonly address: string;
  readonly port: number;
  readonly name: string;
  /** The RDS-managed master secret: for the app-user function only, never for a workload. */
  readonly masterUserSecretArn: string;
  /** The backend's login (JSON `username`, `password`, ...), alternating users, rotated. */
  readonly appCredentialsSecretArn: string;
  readonly instanceArn: string;
  readonly identifier: string;
  /** `db-...`, what `rds-db:connect` ARNs name. */
  readonly resourceId: string;
}

/**
 * The PostgreSQL instance and the backend's login to it: the app-user function creates the
 * roles once the instance exists and rotates the login with alternating users.
 */
export class DatabaseTier extends FlatConstruct {
  readonly postgres: PostgresDatabase;
  readonly appUser: PostgresAppUser;
  readonly connection: DatabaseConnection;

  constructor(scope: Construct, id: string, props: DatabaseTierProps) {
    super(scope, id);
    const { database: db, keys } = props;
    this.postgres = new PostgresDatabase(this, 'postgres', {
      identifier: props.resourceName('postgres'),
      accountId: props.accountId,
      engineVersion: db.engineVersion,
      instanceClass: db.instanceClass,
      allocatedStorageGib: db.allocatedStorageGib,
      maxAllocatedStorageGib: db.maxAllocatedStorageGib,
      multiAz: db.multiAz,
      databaseName: DATABASE_NAME,
      masterUsername: DATABASE_MASTER_USER,
      subnetIds: props.dataSubnetIds,
      securityGroupIds: [props.securityGroupId],
      dataKey: keys.data,
      secretsKey: keys.secrets,
      logsKey: keys.logs,
      logRetentionDays: props.logRetentionDays,
      backupRetentionDays: db.backupRetentionDays,
      backupWindow: db.backupWindow,
      maintenanceWindow: db.maintenanceWindow,
      monitoringIntervalSeconds: db.monitoringIntervalSeconds,
      performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
      slowStatementMs: db.slowStatementMs,
      protect: props.protect,
      finalSnapshotSuffix: props.finalSnapshotSuffix,
    });
    this.appUser = new PostgresAppUser(this, 'postgres-app-user', {
      secretName: `bandup/${props.environment}/database/app-credentials`,
      functionName: props.resourceName('postgres-app-user'),
      accountId: props.accountId,
      region: props.region,
      database: {
        host: this.postgres.address,
        port: this.postgres.port,
        name: DATABASE_NAME,
        masterSecretArn: this.postgres.masterUserSecretArn,
      },
      ownerRole: props.backendDatabaseUser,
      vpc: props.functionVpc,
      rotationDays: db.appPasswordRotationDays,
      secretsKey: keys.secrets,
      environmentKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays: props.logRetentionDays,
      recoveryWindowDays: props.recoveryWindowDays,
      protect: props.protect,
      bootstrapAfter: [this.postgres.instance],
    });
    this.connection = connectionOf(this.postgres, this.appUser);
  }
}

function connectionOf(postgres: PostgresDatabase, appUser: PostgresAppUser): DatabaseConnection {
  return {
    address: postgres.address,
    port: postgres.port,
    name: DATABASE_NAME,
    masterUserSecretArn: postgres.masterUserSecretArn,
    appCredentialsSecretArn: appUser.arn,
    instanceArn: postgres.arn,
    identifier: postgres.instance.identifier,
    resourceId: postgres.resourceId,
  };
}
