import { JOB_TTL_DAYS, S3_PREFIXES } from '@bandup/shared';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration/index.js';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../flat-construct.js';
import {
  albLogDeliveryStatement,
  s3ServerAccessLogStatement,
} from '../observability/log-delivery-policies.js';
import type { EncryptionKey } from '../security/kms-key.js';
import { denyForeignEncryption } from './deny-foreign-encryption.js';
import { SecureBucket } from './secure-bucket.js';

/** ALB access logs go under `<prefix>/AWSLogs/<account>/` (the app stack's load balancer uses it). */
export const ALB_LOG_PREFIX = 'alb';

export interface DataBucketsProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme (bucket names add the account id). */
  readonly resourceName: (suffix: string) => string;
  readonly accountId: string;
  readonly region: string;
  /** Encrypts the uploads and media buckets (SSE-KMS, and nothing else is accepted). */
  readonly dataKey: EncryptionKey;
  readonly storage: EnvironmentConfig['storage'];
  /** Origins browsers upload from and load media from (CORS). */
  readonly siteOrigins: readonly string[];
  readonly protect: boolean;
}

const expire = (id: string, prefix: string, days: number): S3BucketLifecycleConfigurationRule => ({
  id,
  status: 'Enabled',
  filter: [{ prefix }],
  expiration: [{ days }],
});

/**
 * The environment's buckets: the AI data bucket (uploads, results, transcripts...), the app's
 * media, and the ALB and S3 server access log buckets; each data bucket logs its accesses.
 */
export class DataBuckets extends FlatConstruct {
  readonly uploads: SecureBucket;
  readonly media: SecureBucket;
  readonly albLogs: SecureBucket;
  readonly accessLogs: SecureBucket;
  private readonly props: DataBucketsProps;

  constructor(scope: Construct, id: string, props: DataBucketsProps) {
    super(scope, id);
    this.props = props;
    const { storage } = props;
    // S3 server access logging can only deliver to SSE-S3 buckets (not SSE-KMS): AES256 here.
    this.accessLogs = this.logBucket(
      'access-logs',
      's3-access-logs',
      expire('expire-access-logs', '', storage.accessLogExpiryDays),
    );
    // ALB access log delivery supports only SSE-S3 (AES256) buckets, not SSE-KMS: AES256 here.
    this.albLogs = this.logBucket(
      'alb-logs',
      'alb-logs',
      expire('expire-alb-logs', `${ALB_LOG_PREFIX}/`, storage.accessLogExpiryDays),
    );
    this.albLogs.addToResourcePolicy(
      albLogDeliveryStatement({
        region: props.region,
        accountId: props.accountId,
        bucketArn: this.albLogs.arn,
        prefix: ALB_LOG_PREFIX,
      }),
    );
    this.uploads = this.uploadsBucket();
    this.media = this.mediaBucket();
    this.logAccesses({ uploads: this.uploads, media: this.media, 'alb-logs': this.albLogs });
  }

  private bucketName(purpose: string): string {
    return `${this.props.resourceName(purpose)}-${this.props.accountId}`;
  }

  private logBucket(id: string, purpose: string, expiry: S3BucketLifecycleConfigurationRule): SecureBucket {
    const { protect } = this.props;
    return new SecureBucket(this, id, {
      bucketName: this.bucketName(purpose),
      encryption: 'sse-s3',
      noncurrentVersionExpirationDays: 7,
      lifecycleRules: [expiry],
      preventDestroy: protect,
      forceDestroy: !protect,
    });
  }

  /**
   * The AI data bucket. Learner uploads, transcripts and results live as long as the job
   * (JOB_TTL_DAYS); audio at most audioExpiryDays; caches and dead letters longer.
   */
  private uploadsBucket(): SecureBucket {
    const { storage, protect, dataKey } = this.props;
    const uploads = new SecureBucket(this, 'uploads', {
      bucketName: this.bucketName('uploads'),
      encryption: dataKey,
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
    for (const statement of denyForeignEncryption(uploads.arn, dataKey.arn))
      uploads.addToResourcePolicy(statement);
    // Browsers upload straight to S3 with presigned POST (size limits are in each POST policy);
    // only the site's origins (config: the site, plus e.g. a local frontend in dev) may, and only POST.
    new S3BucketCorsConfiguration(this, 'uploads-cors', {
      bucket: uploads.bucket.id,
      corsRule: [
        {
          id: 'presigned-post-from-site',
          allowedOrigins: [...this.props.siteOrigins],
          allowedMethods: ['POST'],
          allowedHeaders: ['content-type'],
          exposeHeaders: ['ETag', 'Location'],
          maxAgeSeconds: 3000,
        },
      ],
    });
    return uploads;
  }

  /** The app's static assets and user content: private, served through CloudFront with signed URLs. */
  private mediaBucket(): SecureBucket {
    const { storage, protect, dataKey } = this.props;
    const media = new SecureBucket(this, 'media', {
      bucketName: this.bucketName('media'),
      encryption: dataKey,
      noncurrentVersionExpirationDays: storage.noncurrentVersionExpiryDays,
      preventDestroy: protect,
      forceDestroy: !protect,
    });
    for (const statement of denyForeignEncryption(media.arn, dataKey.arn))
      media.addToResourcePolicy(statement);
    // Browsers load media through CloudFront, which forwards Origin (CORS-S3Origin policy) so that
    // these rules answer: the site's origins may GET and HEAD, nothing else.
    new S3BucketCorsConfiguration(this, 'media-cors', {
      bucket: media.bucket.id,
      corsRule: [
        {
          id: 'read-from-site',
          allowedOrigins: [...this.props.siteOrigins],
          allowedMethods: ['GET', 'HEAD'],
          allowedHeaders: ['range'],
          exposeHeaders: ['ETag', 'Content-Length', 'Content-Range', 'Accept-Ranges'],
          maxAgeSeconds: 3000,
        },
      ],
    });
    return media;
  }

  /** S3 server access logs of each bucket, under `<name>/` in the access log bucket. */
  private logAccesses(logged: Readonly<Record<string, SecureBucket>>): void {
    for (const [name, bucket] of Object.entries(logged)) {
      new S3BucketLoggingA(this, `${name}-access-logging`, {
        bucket: bucket.bucket.id,
        targetBucket: this.accessLogs.bucket.id,
        targetPrefix: `${name}/`,
      });
    }
    this.accessLogs.addToResourcePolicy(
      s3ServerAccessLogStatement({
        accountId: this.props.accountId,
        logBucketArn: this.accessLogs.arn,
        prefix: '',
        sourceBucketArns: Object.values(logged).map((b) => b.arn),
      }),
    );
  }
}
