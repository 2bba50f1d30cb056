import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../flat-construct.js';
import { CachePasswordSecret } from './cache-password-secret.js';
import type { DataTierProps } from './data-tier-props.js';
import { VALKEY_PORT } from './ports.js';
import { APP_USER_ACCESS_STRING, ValkeyCache } from './valkey-cache.js';

export interface CacheTierProps extends DataTierProps {
  readonly cache: EnvironmentConfig['cache'];
  readonly availabilityZones: readonly string[];
  /** The cache group (6379 only from the backend's group and the in-VPC functions' group). */
  readonly securityGroupId: string;
}

/** How the backend reaches the cache. */
export interface CacheConnection {
  readonly primaryEndpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  /** Secret whose whole value is the Valkey password (AUTH as the `default`-named app user). */
  readonly authTokenSecretArn: string;
}

/**
 * The Valkey replication group and the application user's password, which only the rotation
 * function sets (in Secrets Manager and on the user): it never appears in Terraform.
 */
export class CacheTier extends FlatConstruct {
  readonly valkey: ValkeyCache;
  readonly password: CachePasswordSecret;
  readonly connection: CacheConnection;

  constructor(scope: Construct, id: string, props: CacheTierProps) {
    super(scope, id);
    const { cache, keys } = props;
    this.valkey = new ValkeyCache(this, 'valkey', {
      name: props.resourceName('cache'),
      accountId: props.accountId,
      region: props.region,
      engineVersion: cache.engineVersion,
      nodeType: cache.nodeType,
      replicas: cache.replicas,
      availabilityZones: props.availabilityZones,
      subnetIds: props.dataSubnetIds,
      securityGroupIds: [props.securityGroupId],
      dataKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays: props.logRetentionDays,
      snapshotRetentionDays: cache.snapshotRetentionDays,
      snapshotWindow: cache.snapshotWindow,
      maintenanceWindow: cache.maintenanceWindow,
      protect: props.protect,
      finalSnapshotSuffix: props.finalSnapshotSuffix,
    });
    this.password = new CachePasswordSecret(this, 'cache-password', {
      secretName: `bandup/${props.environment}/cache/app-password`,
      functionName: props.resourceName('cache-password-rotation'),
      accountId: props.accountId,
      region: props.region,
      user: { userId: this.valkey.appUser.userId, arn: this.valkey.appUserArn },
      cacheEndpoint: { host: this.valkey.primaryEndpoint, port: VALKEY_PORT },
      vpc: props.functionVpc,
      accessString: APP_USER_ACCESS_STRING,
      rotationDays: cache.passwordRotationDays,
      secretsKey: keys.secrets,
      environmentKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays: props.logRetentionDays,
      recoveryWindowDays: props.recoveryWindowDays,
      protect: props.protect,
      // The user must belong to the replication group's user group before it is enabled.
      rotateAfter: [this.valkey.replicationGroup],
    });
    this.connection = {
      primaryEndpoint: this.valkey.primaryEndpoint,
      readerEndpoint: this.valkey.readerEndpoint,
      port: VALKEY_PORT,
      authTokenSecretArn: this.password.arn,
    };
  }
}
