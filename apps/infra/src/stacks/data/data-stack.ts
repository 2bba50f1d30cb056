import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Fn, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import type { OperatorSecret } from '../../constructs/containers/app-secrets.js';
import type { CachePasswordSecret } from '../../constructs/data/cache-password-secret.js';
import { type CacheConnection, CacheTier } from '../../constructs/data/cache-tier.js';
import { DataBuckets } from '../../constructs/data/data-buckets.js';
import type { DataTierProps } from '../../constructs/data/data-tier-props.js';
import { type DatabaseConnection, DatabaseTier } from '../../constructs/data/database-tier.js';
import { EnvironmentSecrets } from '../../constructs/data/environment-secrets.js';
import {
  cloudFrontLogDeliveryStatement,
  MediaDistribution,
} from '../../constructs/data/media-distribution.js';
import type { PostgresAppUser } from '../../constructs/data/postgres-app-user.js';
import type { PostgresDatabase } from '../../constructs/data/postgres-database.js';
import type { SecureBucket } from '../../constructs/data/secure-bucket.js';
import type { ValkeyCache } from '../../constructs/data/valkey-cache.js';
import { wafLogDeliveryStatement } from '../../constructs/observability/log-delivery-policies.js';
import { renderPolicy } from '../../constructs/security/iam/policy-document.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import { PlatformKeys } from '../../constructs/security/platform-keys.js';
import { BACKEND_SECRET_ENVIRONMENT } from '../app/app-backend-environment.js';
import { OFFLINE_PROVIDER_SETTINGS } from '../bandup-stack.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';

/** What the data stack needs from the network stack (all tier groups and their rules live there). */
export interface DataNetworkInputs {
  /** `app` subnets (NAT route) host the rotation functions. */
  readonly subnetIds: { readonly data: readonly string[]; readonly app: readonly string[] };
  readonly securityGroups: {
    /** In-VPC functions; the cache group admits it on 6379, the database group on 5432. */
    readonly lambda: { readonly id: string };
    /** Admits 5432 only from the backend's group and the in-VPC functions' group. */
    readonly database: { readonly id: string };
    /** Admits 6379 only from the backend's group and the in-VPC functions' group. */
    readonly cache: { readonly id: string };
  };
}

export interface DataStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  readonly network: DataNetworkInputs;
}

/**
 * `bandup-<env>-data`: the environment's state (docs/data-stack.md). KMS keys by purpose, RDS
 * PostgreSQL, ElastiCache Valkey, the S3 buckets and the Secrets Manager secrets. Changed rarely,
 * protected in prod (`prevent_destroy`, deletion protection), and isolated from the stacks that
 * change often so that an app or AI change can never plan a replacement here.
 */
export class DataStack extends EnvironmentStack {
  readonly keys: {
    readonly data: EncryptionKey;
    readonly logs: EncryptionKey;
    readonly secrets: EncryptionKey;
  };
  readonly buckets: {
    readonly uploads: SecureBucket;
    readonly media: SecureBucket;
    readonly albLogs: SecureBucket;
    readonly accessLogs: SecureBucket;
  };
  readonly mediaCdn: MediaDistribution;
  readonly postgres: PostgresDatabase;
  readonly valkey: ValkeyCache;
  readonly cachePassword: CachePasswordSecret;
  readonly appDatabaseUser: PostgresAppUser;
  readonly database: DatabaseConnection;
  readonly cache: CacheConnection;
  readonly secrets: {
    readonly backend: Readonly<Record<string, OperatorSecret>>;
    readonly gemini: OperatorSecret;
  };

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', props);
    const { config } = props;
    checkNetwork(config, props.network);
    const protect = config.protectStatefulResources;
    const keys = new PlatformKeys(this, 'keys', {
      accountId: config.accountId,
      region: config.region,
      namePrefix: `bandup-${config.name}`,
      environment: config.name,
      preventDestroy: protect,
    });
    this.keys = { data: keys.data, logs: keys.logs, secrets: keys.secrets };
    this.buckets = this.createBuckets();
    this.allowWafLogDelivery();
    this.mediaCdn = this.createMediaDistribution(props);

    const tier = this.dataTierProps(props.network);
    const database = new DatabaseTier(this, 'database', {
      ...tier,
      database: config.database,
      backendDatabaseUser: config.ecs.backendDatabaseUser,
      securityGroupId: props.network.securityGroups.database.id,
    });
    const cache = new CacheTier(this, 'cache', {
      ...tier,
      cache: config.cache,
      availabilityZones: config.availabilityZones,
      securityGroupId: props.network.securityGroups.cache.id,
    });
    this.postgres = database.postgres;
    this.appDatabaseUser = database.appUser;
    this.database = database.connection;
    this.valkey = cache.valkey;
    this.cachePassword = cache.password;
    this.cache = cache.connection;

    const secrets = new EnvironmentSecrets(this, 'secrets', {
      environment: config.name,
      region: config.region,
      backendSecretEnvironment: BACKEND_SECRET_ENVIRONMENT,
      kmsKeyArn: keys.secrets.arn,
      recoveryWindowDays: tier.recoveryWindowDays,
      protect,
    });
    this.secrets = { backend: secrets.backend, gemini: secrets.gemini };
    new TerraformOutput(this, 'database-address', { value: this.database.address });
    new TerraformOutput(this, 'cache-primary-endpoint', { value: this.cache.primaryEndpoint });
    new TerraformOutput(this, 'uploads-bucket', { value: this.buckets.uploads.name });
  }

  /** What the database and cache tiers share: keys, subnets, retention and protection. */
  private dataTierProps(network: DataNetworkInputs): DataTierProps {
    const { config } = this;
    const protect = config.protectStatefulResources;
    return {
      resourceName: (suffix) => this.resourceName(suffix),
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
      keys: this.keys,
      dataSubnetIds: network.subnetIds.data,
      functionVpc: { subnetIds: network.subnetIds.app, securityGroupId: network.securityGroups.lambda.id },
      logRetentionDays: config.observability.logRetentionDays,
      // 30 days to recover a deleted secret in prod; elsewhere deleted at once (0), so that a
      // destroyed environment can be re-created immediately under the same secret names.
      recoveryWindowDays: protect ? 30 : 0,
      protect,
      // Protected environments keep final snapshots, named after the data key that encrypts them: a
      // re-created environment has a new key, so a later destroy never meets an existing name, and
      // the key is prevent_destroy (docs/teardown.md). Unprotected ones (dev) take none.
      finalSnapshotSuffix: protect ? Fn.substr(this.keys.data.key.keyId, 0, 8) : undefined,
    };
  }

  private createBuckets(): DataStack['buckets'] {
    const { config } = this;
    const buckets = new DataBuckets(this, 'buckets', {
      resourceName: (suffix) => this.resourceName(suffix),
      accountId: config.accountId,
      region: config.region,
      dataKey: this.keys.data,
      storage: config.storage,
      siteOrigins: [`https://${config.dns.domainName}`, ...config.extraCorsOrigins],
      protect: config.protectStatefulResources,
    });
    // A plain record: consumers iterate it (the CI/CD roles deny reading every data bucket).
    const { uploads, media, albLogs, accessLogs } = buckets;
    return { uploads, media, albLogs, accessLogs };
  }

  /**
   * The environment's one CloudWatch Logs resource policy (WAF log delivery for the app and AI
   * web ACLs); applied before their stacks, so it exists when WAF starts logging.
   */
  private allowWafLogDelivery(): void {
    const { accountId, region, name } = this.config;
    new CloudwatchLogResourcePolicy(this, 'waf-log-delivery-policy', {
      policyName: this.resourceName('waf-log-delivery'),
      policyDocument: renderPolicy([wafLogDeliveryStatement({ accountId, region, environment: name })]),
    });
  }

  /** CloudFront for the media bucket; its certificate and log source need a us-east-1 provider. */
  private createMediaDistribution(props: DataStackProps): MediaDistribution {
    const { config } = this;
    const usEast1 = new AwsProvider(this, 'aws-us-east-1', {
      alias: 'us-east-1',
      region: 'us-east-1',
      ...(props.mode.kind === 'deploy' ? { allowedAccountIds: [config.accountId] } : {}),
      defaultTags: this.provider.defaultTags,
      ...(props.mode.kind === 'offline' ? OFFLINE_PROVIDER_SETTINGS : {}),
    });
    const media = this.buckets.media;
    const cdn = new MediaDistribution(this, 'media-cdn', {
      name: this.resourceName('media'),
      accountId: config.accountId,
      bucket: { arn: media.arn, regionalDomainName: media.bucket.bucketRegionalDomainName },
      signingPublicKeyPem: config.cdn.signingPublicKeyPem,
      customDomain: config.cdn.domainName
        ? { domainName: config.cdn.domainName, hostedZoneId: config.dns.hostedZoneId }
        : undefined,
      usEast1,
      logBucketArn: this.buckets.accessLogs.arn,
    });
    media.addToResourcePolicy(cdn.bucketReadStatement(media.arn));
    this.buckets.accessLogs.addToResourcePolicy(
      cloudFrontLogDeliveryStatement({
        accountId: config.accountId,
        logBucketArn: this.buckets.accessLogs.arn,
      }),
    );
    return cdn;
  }
}

/** The network must match the config (the schema checks the config itself: two AZs or more). */
function checkNetwork(config: EnvironmentConfig, network: DataNetworkInputs): void {
  const azs = config.availabilityZones.length;
  if (network.subnetIds.data.length !== azs) {
    throw new Error(
      `Data stack ${config.name}: expected one data subnet per availability zone (${azs}), the network has ${network.subnetIds.data.length}`,
    );
  }
}
