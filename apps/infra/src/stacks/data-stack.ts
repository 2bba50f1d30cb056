import { JOB_TTL_DAYS, S3_PREFIXES } from '@bandup/shared';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration/index.js';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { Fn, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/index.js';
import { AppSecrets, type OperatorSecret, type OperatorSecretSpec } from '../constructs/app-secrets.js';
import { CachePasswordSecret } from '../constructs/cache-password-secret.js';
import type { PolicyStatement } from '../constructs/iam/policy-document.js';
import { renderPolicy } from '../constructs/iam/policy-document.js';
import type { EncryptionKey } from '../constructs/kms-key.js';
import { cloudFrontLogDeliveryStatement, MediaDistribution } from '../constructs/media-distribution.js';
import {
  albLogDeliveryStatement,
  s3ServerAccessLogStatement,
  wafLogDeliveryStatement,
} from '../constructs/observability/log-delivery-policies.js';
import { PlatformKeys } from '../constructs/platform-keys.js';
import { PostgresAppUser } from '../constructs/postgres-app-user.js';
import { PostgresDatabase } from '../constructs/postgres-database.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import { APP_USER_ACCESS_STRING, VALKEY_PORT, ValkeyCache } from '../constructs/valkey-cache.js';
import { BACKEND_SECRET_ENVIRONMENT } from './app-backend-environment.js';
import { OFFLINE_PROVIDER_SETTINGS } from './bandup-stack.js';
import type { DeploymentMode } from './deployment-mode.js';
import { EnvironmentStack } from './environment-stack.js';

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

/** Database name the backend (Hibernate) expects. */
export const DATABASE_NAME = 'band_up';
/**
 * RDS master user: only the app-user function logs in with it. The backend logs in as
 * `<config.ecs.backendDatabaseUser>_blue` or `_green` (whichever the application secret holds).
 */
export const DATABASE_MASTER_USER = 'bandup_admin';
/** ALB access logs go under `<prefix>/AWSLogs/<account>/` (the app stack's load balancer uses it). */
export const ALB_LOG_PREFIX = 'alb';

/** What each backend secret holds (keys from `BACKEND_SECRET_ENVIRONMENT`, the backend's contract). */
const BACKEND_SECRET_DESCRIPTIONS: Readonly<Record<string, string>> = {
  jwt: 'Backend JWT signing keys (access and refresh)',
  oauth: 'Backend Google OAuth 2.0 client',
  mail: 'Backend SMTP credentials',
  payment: 'Backend VNPay merchant code and hash secret',
  cloudfront: 'Backend CloudFront signed URL key pair',
};

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
  readonly database: {
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
  };
  readonly cache: {
    readonly primaryEndpoint: string;
    readonly readerEndpoint: string;
    readonly port: number;
    /** Secret whose whole value is the Valkey password (AUTH as the `default`-named app user). */
    readonly authTokenSecretArn: string;
  };
  readonly secrets: {
    readonly backend: Readonly<Record<string, OperatorSecret>>;
    readonly gemini: OperatorSecret;
  };

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', props);
    const { config, network } = props;
    const { accountId, region } = config;
    const protect = config.protectStatefulResources;
    const logRetentionDays = config.observability.logRetentionDays;
    checkNetwork(config, network);

    const keys = new PlatformKeys(this, 'keys', {
      accountId,
      region,
      namePrefix: `bandup-${config.name}`,
      environment: config.name,
      preventDestroy: protect,
    });
    this.keys = { data: keys.data, logs: keys.logs, secrets: keys.secrets };

    this.buckets = this.createBuckets();

    // The environment's one CloudWatch Logs resource policy (WAF log delivery for the app and AI
    // web ACLs); applied before their stacks, so it exists when WAF starts logging.
    new CloudwatchLogResourcePolicy(this, 'waf-log-delivery-policy', {
      policyName: this.resourceName('waf-log-delivery'),
      policyDocument: renderPolicy([
        wafLogDeliveryStatement({ accountId, region, environment: config.name }),
      ]),
    });
    this.mediaCdn = this.createMediaDistribution(props);

    // Protected environments keep final snapshots, named after the data key that encrypts them: a
    // re-created environment has a new key, so a later destroy never meets an existing name, and
    // the key is prevent_destroy (docs/teardown.md). Unprotected ones (dev) take none.
    const finalSnapshotSuffix = protect ? Fn.substr(keys.data.key.keyId, 0, 8) : undefined;

    this.postgres = new PostgresDatabase(this, 'postgres', {
      identifier: this.resourceName('postgres'),
      accountId,
      engineVersion: config.database.engineVersion,
      instanceClass: config.database.instanceClass,
      allocatedStorageGib: config.database.allocatedStorageGib,
      maxAllocatedStorageGib: config.database.maxAllocatedStorageGib,
      multiAz: config.database.multiAz,
      databaseName: DATABASE_NAME,
      masterUsername: DATABASE_MASTER_USER,
      subnetIds: network.subnetIds.data,
      securityGroupIds: [network.securityGroups.database.id],
      dataKey: keys.data,
      secretsKey: keys.secrets,
      logsKey: keys.logs,
      logRetentionDays,
      backupRetentionDays: config.database.backupRetentionDays,
      backupWindow: config.database.backupWindow,
      maintenanceWindow: config.database.maintenanceWindow,
      monitoringIntervalSeconds: config.database.monitoringIntervalSeconds,
      performanceInsightsRetentionDays: config.database.performanceInsightsRetentionDays,
      slowStatementMs: config.database.slowStatementMs,
      protect,
      finalSnapshotSuffix,
    });

    this.valkey = new ValkeyCache(this, 'valkey', {
      name: this.resourceName('cache'),
      accountId,
      region,
      engineVersion: config.cache.engineVersion,
      nodeType: config.cache.nodeType,
      replicas: config.cache.replicas,
      availabilityZones: config.availabilityZones,
      subnetIds: network.subnetIds.data,
      securityGroupIds: [network.securityGroups.cache.id],
      dataKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays,
      snapshotRetentionDays: config.cache.snapshotRetentionDays,
      snapshotWindow: config.cache.snapshotWindow,
      maintenanceWindow: config.cache.maintenanceWindow,
      protect,
      finalSnapshotSuffix,
    });

    // Secrets: 30 days to recover a deleted secret in prod; elsewhere deleted at once (0), so that a
    // destroyed environment can be re-created immediately under the same secret names.
    const recoveryWindowDays = protect ? 30 : 0;
    this.cachePassword = new CachePasswordSecret(this, 'cache-password', {
      secretName: `bandup/${config.name}/cache/app-password`,
      functionName: this.resourceName('cache-password-rotation'),
      accountId,
      region,
      user: { userId: this.valkey.appUser.userId, arn: this.valkey.appUserArn },
      cacheEndpoint: { host: this.valkey.primaryEndpoint, port: VALKEY_PORT },
      vpc: { subnetIds: network.subnetIds.app, securityGroupId: network.securityGroups.lambda.id },
      accessString: APP_USER_ACCESS_STRING,
      rotationDays: config.cache.passwordRotationDays,
      secretsKey: keys.secrets,
      environmentKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays,
      recoveryWindowDays,
      protect,
      // The user must belong to the replication group's user group before it is enabled.
      rotateAfter: [this.valkey.replicationGroup],
    });

    this.appDatabaseUser = new PostgresAppUser(this, 'postgres-app-user', {
      secretName: `bandup/${config.name}/database/app-credentials`,
      functionName: this.resourceName('postgres-app-user'),
      accountId,
      region,
      database: {
        host: this.postgres.address,
        port: this.postgres.port,
        name: DATABASE_NAME,
        masterSecretArn: this.postgres.masterUserSecretArn,
      },
      ownerRole: config.ecs.backendDatabaseUser,
      vpc: { subnetIds: network.subnetIds.app, securityGroupId: network.securityGroups.lambda.id },
      rotationDays: config.database.appPasswordRotationDays,
      secretsKey: keys.secrets,
      environmentKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays,
      recoveryWindowDays,
      protect,
      bootstrapAfter: [this.postgres.instance],
    });

    const backendSpecs = Object.fromEntries(
      Object.entries(BACKEND_SECRET_ENVIRONMENT).map(([name, env]): [string, OperatorSecretSpec] => [
        name,
        {
          name: `bandup/${config.name}/backend/${name}`,
          description: BACKEND_SECRET_DESCRIPTIONS[name] ?? `Backend secret ${name}`,
          jsonKeys: Object.values(env),
        },
      ]),
    );
    const backend = new AppSecrets(this, 'backend-secrets', {
      secrets: backendSpecs,
      kmsKeyArn: keys.secrets.arn,
      recoveryWindowDays,
      protect,
      region,
    });
    const ai = new AppSecrets(this, 'ai-secrets', {
      secrets: {
        gemini: {
          name: `bandup/${config.name}/ai/gemini-api-key`,
          description: 'Gemini API key for RAG smart queries (plain string), read by the AI workers',
        },
      },
      kmsKeyArn: keys.secrets.arn,
      recoveryWindowDays,
      protect,
      region,
    });
    this.secrets = { backend: backend.secrets, gemini: ai.secrets.gemini as OperatorSecret };

    this.database = {
      address: this.postgres.address,
      port: this.postgres.port,
      name: DATABASE_NAME,
      masterUserSecretArn: this.postgres.masterUserSecretArn,
      appCredentialsSecretArn: this.appDatabaseUser.arn,
      instanceArn: this.postgres.arn,
      identifier: this.postgres.instance.identifier,
      resourceId: this.postgres.resourceId,
    };
    this.cache = {
      primaryEndpoint: this.valkey.primaryEndpoint,
      readerEndpoint: this.valkey.readerEndpoint,
      port: VALKEY_PORT,
      authTokenSecretArn: this.cachePassword.arn,
    };

    new TerraformOutput(this, 'database-address', { value: this.database.address });
    new TerraformOutput(this, 'cache-primary-endpoint', { value: this.cache.primaryEndpoint });
    new TerraformOutput(this, 'uploads-bucket', { value: this.buckets.uploads.name });
    for (const [name, secret] of Object.entries({
      ...backend.secrets,
      gemini: ai.secrets.gemini as OperatorSecret,
    })) {
      new TerraformOutput(this, `secret-${name}-put-command`, {
        value: secret.putValueCommand,
        description: `How an operator sets ${secret.name}`,
      });
    }
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

  private createBuckets(): DataStack['buckets'] {
    const { config } = this;
    const { accountId, region } = config;
    const storage = config.storage;
    const protect = config.protectStatefulResources;
    const bucketName = (purpose: string) => `${this.resourceName(purpose)}-${accountId}`;
    const siteOrigins = [`https://${config.dns.domainName}`, ...config.extraCorsOrigins];
    const expire = (id: string, prefix: string, days: number): S3BucketLifecycleConfigurationRule => ({
      id,
      status: 'Enabled',
      filter: [{ prefix }],
      expiration: [{ days }],
    });

    // S3 server access logging can only deliver to SSE-S3 buckets (not SSE-KMS): AES256 here.
    const accessLogs = new SecureBucket(this, 'access-logs', {
      bucketName: bucketName('s3-access-logs'),
      encryption: 'sse-s3',
      noncurrentVersionExpirationDays: 7,
      lifecycleRules: [expire('expire-access-logs', '', storage.accessLogExpiryDays)],
      preventDestroy: protect,
      forceDestroy: !protect,
    });

    // ALB access log delivery supports only SSE-S3 (AES256) buckets, not SSE-KMS: AES256 here.
    const albLogs = new SecureBucket(this, 'alb-logs', {
      bucketName: bucketName('alb-logs'),
      encryption: 'sse-s3',
      noncurrentVersionExpirationDays: 7,
      lifecycleRules: [expire('expire-alb-logs', `${ALB_LOG_PREFIX}/`, storage.accessLogExpiryDays)],
      preventDestroy: protect,
      forceDestroy: !protect,
    });
    albLogs.addToResourcePolicy(
      albLogDeliveryStatement({ region, accountId, bucketArn: albLogs.arn, prefix: ALB_LOG_PREFIX }),
    );

    // The AI data bucket. Learner uploads, transcripts and results live as long as the job
    // (JOB_TTL_DAYS); audio at most audioExpiryDays; caches and dead letters longer.
    const uploads = new SecureBucket(this, 'uploads', {
      bucketName: bucketName('uploads'),
      encryption: this.keys.data,
      noncurrentVersionExpirationDays: Math.min(storage.noncurrentVersionExpiryDays, 7),
      lifecycleRules: [
        expire('expire-speaking-audio', `${S3_PREFIXES.uploads}speaking/`, storage.audioExpiryDays),
        expire('expire-uploads', S3_PREFIXES.uploads, JOB_TTL_DAYS),
        expire('expire-results', S3_PREFIXES.results, JOB_TTL_DAYS),
        expire('expire-transcripts', S3_PREFIXES.transcripts, storage.transcriptExpiryDays),
        expire('expire-embedding-cache', S3_PREFIXES.embeddings, storage.embeddingCacheExpiryDays),
        expire('expire-dead-letters', S3_PREFIXES.deadLetters, storage.deadLetterExpiryDays),
      ],
      preventDestroy: protect,
      forceDestroy: !protect,
    });
    for (const statement of denyForeignEncryption(uploads.arn, this.keys.data.arn))
      uploads.addToResourcePolicy(statement);
    // Browsers upload straight to S3 with presigned POST (size limits are in each POST policy);
    // only the site's origins (config: the site, plus e.g. a local frontend in dev) may, and only POST.
    new S3BucketCorsConfiguration(this, 'uploads-cors', {
      bucket: uploads.bucket.id,
      corsRule: [
        {
          id: 'presigned-post-from-site',
          allowedOrigins: siteOrigins,
          allowedMethods: ['POST'],
          allowedHeaders: ['content-type'],
          exposeHeaders: ['ETag', 'Location'],
          maxAgeSeconds: 3000,
        },
      ],
    });

    // The app's static assets and user content: private, served through CloudFront with signed URLs.
    const media = new SecureBucket(this, 'media', {
      bucketName: bucketName('media'),
      encryption: this.keys.data,
      noncurrentVersionExpirationDays: storage.noncurrentVersionExpiryDays,
      preventDestroy: protect,
      forceDestroy: !protect,
    });
    for (const statement of denyForeignEncryption(media.arn, this.keys.data.arn))
      media.addToResourcePolicy(statement);
    // Browsers load media through CloudFront, which forwards Origin (CORS-S3Origin policy) so that
    // these rules answer: the site's origins may GET and HEAD, nothing else.
    new S3BucketCorsConfiguration(this, 'media-cors', {
      bucket: media.bucket.id,
      corsRule: [
        {
          id: 'read-from-site',
          allowedOrigins: siteOrigins,
          allowedMethods: ['GET', 'HEAD'],
          allowedHeaders: ['range'],
          exposeHeaders: ['ETag', 'Content-Length', 'Content-Range', 'Accept-Ranges'],
          maxAgeSeconds: 3000,
        },
      ],
    });

    const logged = { uploads, media, 'alb-logs': albLogs };
    for (const [name, bucket] of Object.entries(logged)) {
      new S3BucketLoggingA(this, `${name}-access-logging`, {
        bucket: bucket.bucket.id,
        targetBucket: accessLogs.bucket.id,
        targetPrefix: `${name}/`,
      });
    }
    accessLogs.addToResourcePolicy(
      s3ServerAccessLogStatement({
        accountId,
        logBucketArn: accessLogs.arn,
        prefix: '',
        sourceBucketArns: Object.values(logged).map((b) => b.arn),
      }),
    );

    return { uploads, media, albLogs, accessLogs };
  }
}

/**
 * Refuses uploads that ask for any encryption other than SSE-KMS with the bucket's key (SSE-S3,
 * DSSE, SSE-C or another KMS key). Requests that name no encryption get the bucket default, which is
 * that key, so clients (presigned POST, the workers, Transcribe) need not repeat it.
 */
export function denyForeignEncryption(bucketArn: string, keyArn: string): PolicyStatement[] {
  const objects = [`${bucketArn}/*`];
  return [
    {
      sid: 'DenyOtherEncryption',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      },
    },
    {
      sid: 'DenyOtherKmsKey',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      },
    },
    {
      sid: 'DenyCustomerProvidedKeys',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
    },
  ];
}

function checkNetwork(config: EnvironmentConfig, network: DataNetworkInputs): void {
  const azs = config.availabilityZones.length;
  if (network.subnetIds.data.length !== azs) {
    throw new Error(
      `Data stack ${config.name}: expected one data subnet per availability zone (${azs}), the network has ${network.subnetIds.data.length}`,
    );
  }
  if (azs < 2) {
    throw new Error(
      `Data stack ${config.name}: RDS and ElastiCache subnet groups need data subnets in at least two AZs`,
    );
  }
}
