import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import {
  denyInsecureTransport,
  type Grantee,
  type PolicyStatement,
  renderPolicy,
} from '../security/iam/policy-document.js';
import type { EncryptionKey } from '../security/kms-key.js';

export interface SecureBucketProps {
  /** Globally unique name (include the account id); 3-63 lower-case characters. */
  readonly bucketName: string;
  /**
   * SSE-KMS with this key. `'sse-s3'` only where a service cannot use a customer managed key
   * (ALB access logs): the call site must say why.
   */
  readonly encryption: EncryptionKey | 'sse-s3';
  /** Days before noncurrent object versions expire. */
  readonly noncurrentVersionExpirationDays: number;
  /** Extra lifecycle rules (expiry by prefix...). Multipart cleanup and noncurrent expiry are always added. */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /** Extra bucket policy statements (service log delivery...). TLS-only is always added. */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Terraform `prevent_destroy` (prod). */
  readonly preventDestroy: boolean;
  /** Allow `terraform destroy` to delete a non-empty bucket (dev only). */
  readonly forceDestroy?: boolean;
}

const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * An S3 bucket with every protection on: public access blocked, ownership enforced (no ACLs),
 * versioning, default encryption (SSE-KMS with bucket keys), a TLS-only policy, and lifecycle
 * rules for noncurrent versions and incomplete multipart uploads. Its grants include what the
 * grantee needs of the bucket's KMS key, so a role that may read objects can also decrypt them.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  /** The configured name as a plain string (no reference): usable from another stack without a dependency. */
  readonly bucketName: string;
  /** The key of SSE-KMS buckets, which every grant includes (none for SSE-S3 buckets). */
  readonly key: EncryptionKey | undefined;
  private readonly extraStatements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    this.key = props.encryption === 'sse-s3' ? undefined : props.encryption;
    if (!BUCKET_NAME.test(props.bucketName)) {
      throw new Error(
        `Bucket name "${props.bucketName}" is not a valid S3 bucket name (3-63 chars, a-z 0-9 -)`,
      );
    }
    this.extraStatements = [...(props.policyStatements ?? [])];
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        props.encryption === 'sse-s3'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: 'aws:kms',
                kmsMasterKeyId: props.encryption.arn,
              },
              bucketKeyEnabled: true,
            },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(props.lifecycleRules ?? []),
      ],
    });
    // Rendered lazily so statements added after construction (addToResourcePolicy) are included.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({
        produce: () =>
          renderPolicy([
            denyInsecureTransport([this.bucket.arn, `${this.bucket.arn}/*`]),
            ...this.extraStatements,
          ]),
      }),
      // The public access block must exist first, or a policy could briefly be evaluated without it.
      dependsOn: [publicAccess],
    });
  }

  get arn(): string {
    return this.bucket.arn;
  }

  get name(): string {
    return this.bucket.bucket;
  }

  /** Adds a resource policy statement (e.g. for a service that delivers logs). */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.extraStatements.push(statement);
  }

  /** ARNs of objects under a key prefix (`uploads/` → `arn:aws:s3:::bucket/uploads/*`). */
  objectsArn(prefix = ''): string {
    return `${this.bucket.arn}/${prefix}*`;
  }

  /** Get objects under `prefix`, and decrypt them with the bucket's key (SSE-KMS buckets). */
  grantRead(grantee: Grantee, prefix = ''): void {
    this.allowObjects(grantee, READ_ACTIONS, prefix);
    this.key?.grantDecrypt(grantee);
  }

  /**
   * Put objects under `prefix`, and encrypt them with the bucket's key: SSE-KMS puts need
   * `kms:GenerateDataKey`, and multipart uploads `kms:Decrypt` as well (S3 decrypts the parts).
   */
  grantWrite(grantee: Grantee, prefix = ''): void {
    this.allowObjects(grantee, WRITE_ACTIONS, prefix);
    this.key?.grantEncryptDecrypt(grantee);
  }

  /**
   * `s3:ListBucket` on the bucket. Readers that HEAD objects need it so S3 answers 404 for a missing
   * key instead of 403 (S3 hides existence from callers who cannot list). It reveals key names only.
   */
  grantList(grantee: Grantee): void {
    grantee.addToPolicy({ actions: ['s3:ListBucket'], resources: [this.bucket.arn] });
  }

  grantReadWrite(grantee: Grantee, prefix = ''): void {
    this.allowObjects(grantee, READ_ACTIONS, prefix);
    this.allowObjects(grantee, WRITE_ACTIONS, prefix);
    this.key?.grantEncryptDecrypt(grantee);
  }

  private allowObjects(grantee: Grantee, actions: readonly string[], prefix: string): void {
    grantee.addToPolicy({ actions, resources: [this.objectsArn(prefix)] });
  }
}
