import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user/index.js';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group/index.js';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';
import { contentSuffix } from '../security/content-suffix.js';
import { VALKEY_PORT } from './ports.js';

export interface ValkeyCacheProps {
  /** Replication group id, `bandup-<env>-cache` (at most 40 characters). */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** `8.0`: the parameter group family is `valkey<major>`. */
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Replicas besides the primary; >= 1 turns on Multi-AZ and automatic failover. */
  readonly replicas: number;
  /** AZ of each node, primary first (the environment's AZs, cycled). */
  readonly availabilityZones: readonly string[];
  readonly subnetIds: readonly string[];
  /** The network stack's cache group (6379 only from the backend's group). */
  readonly securityGroupIds: readonly string[];
  readonly dataKey: { readonly arn: string };
  readonly logsKey: { readonly arn: string };
  readonly logRetentionDays: number;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  /** Final snapshot on delete, `<name>-final-<suffix>` (unique per generation); omitted: none. */
  readonly finalSnapshotSuffix?: string;
  readonly maintenanceWindow: string;
  /** `prevent_destroy` on the replication group. */
  readonly protect: boolean;
}

/**
 * What the application user may run once its password is set: every key and channel, every command
 * except the `@dangerous` ones (FLUSHALL, CONFIG, DEBUG, SHUTDOWN...), plus the two of them that
 * Spring Boot needs: INFO (actuator health) and KEYS (cache eviction by pattern).
 */
export const APP_USER_ACCESS_STRING = 'on ~* &* +@all -@dangerous +info +keys';

/**
 * The Valkey replication group (cluster mode off) with role-based access control.
 *
 * Authentication: the group's user group holds one user whose user name is `default`, so a client
 * that sends `AUTH <password>` (Spring Boot's `spring.data.redis.password` alone) authenticates as
 * it. Terraform creates that user *disabled* (`off -@all`, no password: nobody can log in); the
 * password rotation function then generates the password in Secrets Manager and enables the user
 * with it, so the password exists only in Secrets Manager and ElastiCache, never in Terraform code,
 * plan or state. AWS provider 5.100 has no write-only `auth_token_wo`, and an ephemeral password
 * could not be passed to `auth_token`, so a Terraform-supplied token would have sat in state.
 */
export class ValkeyCache extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly subnetGroup: ElasticacheSubnetGroup;
  readonly parameterGroup: ElasticacheParameterGroup;
  readonly slowLog: EncryptedLogGroup;
  readonly appUser: ElasticacheUser;
  readonly userGroup: ElasticacheUserGroup;

  constructor(scope: Construct, id: string, props: ValkeyCacheProps) {
    super(scope, id);
    const major = props.engineVersion.split('.')[0];
    const nodes = 1 + props.replicas;
    if (props.name.length > 40)
      throw new Error(`Cache ${props.name}: replication group ids have at most 40 characters`);
    if (props.replicas > 0 && props.availabilityZones.length < 2) {
      throw new Error(
        `Cache ${props.name}: ${props.replicas} replica(s) need at least two availability zones for Multi-AZ`,
      );
    }

    this.subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: props.name,
      description: `Data subnets of ${props.name}`,
      subnetIds: [...props.subnetIds],
    });

    const family = `valkey${major}`;
    const parameters = [
      // Log commands slower than 10 ms (the slow log is delivered to CloudWatch).
      { name: 'slowlog-log-slower-than', value: '10000' },
      { name: 'slowlog-max-len', value: '256' },
      // Close connections idle for an hour (leaked clients), keep-alive detects dead peers.
      { name: 'timeout', value: '3600' },
      { name: 'tcp-keepalive', value: '300' },
    ];
    // ElastiCache parameter groups have no name prefix: the name carries a hash of what forces a
    // replacement, so create-before-destroy never collides with the group being replaced.
    this.parameterGroup = new ElasticacheParameterGroup(this, 'parameters', {
      name: `${props.name}-${family}-${contentSuffix(family, parameters)}`,
      family,
      description: `${props.name}: slow log threshold, idle connection timeout`,
      parameter: parameters,
      lifecycle: { createBeforeDestroy: true },
    });

    this.slowLog = new EncryptedLogGroup(this, 'slow-log', {
      name: `/aws/elasticache/${props.name}/slow-log`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logsKey,
    });

    this.appUser = new ElasticacheUser(this, 'app-user', {
      userId: `${props.name}-app`,
      userName: 'default',
      engine: 'valkey',
      // Disabled until the rotation function sets the password it generated (see the class comment).
      accessString: 'off -@all',
      authenticationMode: { type: 'no-password-required' },
      lifecycle: {
        // Owned by the rotation function after creation: it sets the password and APP_USER_ACCESS_STRING.
        ignoreChanges: ['access_string', 'authentication_mode', 'no_password_required', 'passwords'],
      },
    });

    this.userGroup = new ElasticacheUserGroup(this, 'user-group', {
      userGroupId: `${props.name}-users`,
      engine: 'valkey',
      userIds: [this.appUser.userId],
    });

    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: props.name,
      description: `Bandup sessions and cache (${props.name})`,
      engine: 'valkey',
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port: VALKEY_PORT,
      parameterGroupName: this.parameterGroup.name,
      numCacheClusters: nodes,
      preferredCacheClusterAzs: Array.from(
        { length: nodes },
        (_, i) => props.availabilityZones[i % props.availabilityZones.length] as string,
      ),
      automaticFailoverEnabled: props.replicas > 0,
      multiAzEnabled: props.replicas > 0,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [...props.securityGroupIds],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.dataKey.arn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [this.userGroup.userGroupId],
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      autoMinorVersionUpgrade: 'true',
      finalSnapshotIdentifier:
        props.finalSnapshotSuffix === undefined
          ? undefined
          : `${props.name}-final-${props.finalSnapshotSuffix}`,
      applyImmediately: false,
      logDeliveryConfiguration: [
        {
          destination: this.slowLog.name,
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
  }

  get primaryEndpoint(): string {
    return this.replicationGroup.primaryEndpointAddress;
  }

  get readerEndpoint(): string {
    return this.replicationGroup.readerEndpointAddress;
  }

  /** ARN of the application user (what the rotation function may modify). */
  get appUserArn(): string {
    return this.appUser.arn;
  }
}
