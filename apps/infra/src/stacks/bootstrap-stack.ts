import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { SecureBucket } from '../constructs/data/secure-bucket.js';
import { EncryptionKey } from '../constructs/security/kms-key.js';
import { ApiGatewayLoggingRole } from '../constructs/serverless/api-gateway-logging-role.js';
import { BandupStack } from './bandup-stack.js';
import type { DeploymentMode } from './deployment-mode.js';
import { STATE_KMS_ALIAS, stateBucketName } from './state-bucket-name.js';

/**
 * Where the bootstrap stack keeps its own state.
 * - `local` (first run): a file at the repository root, since the bucket does not exist yet.
 * - `s3`: the bucket it created, key `bootstrap.tfstate` (after `terraform init -migrate-state`).
 */
export type BootstrapBackend = 'local' | 's3';

export interface BootstrapStackProps {
  readonly accountId: string;
  readonly region: string;
  readonly mode: DeploymentMode;
  /** Default `local`; `BANDUP_BOOTSTRAP_BACKEND=s3` switches it once the bucket exists (README). */
  readonly backend?: BootstrapBackend;
}

/**
 * Local state file of the bootstrap stack, relative to `cdktf.out/stacks/<id>/` (where Terraform
 * runs): the repository root, so re-synthesizing never deletes it (`*.tfstate` is git-ignored).
 */
function bootstrapLocalStatePath(stackId: string): string {
  return `../../../terraform.${stackId}.tfstate`;
}

/** Days a superseded state version is kept: enough to roll back a bad apply found weeks later. */
const STATE_NONCURRENT_VERSION_DAYS = 90;

/**
 * `bandup-bootstrap`: the account's Terraform state bucket (versioned, SSE-KMS with its own key,
 * public access blocked, TLS-only policy, `prevent_destroy`, old versions expired). Created once
 * per account and region with local state, then migrated into itself (apps/infra/README.md).
 */
export class BootstrapStack extends BandupStack {
  readonly stateKey: EncryptionKey;
  readonly stateBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id, {
      environment: null,
      name: 'bootstrap',
      accountId: props.accountId,
      region: props.region,
      mode: props.mode,
      localStatePathInDeployMode: props.backend === 's3' ? undefined : bootstrapLocalStatePath(id),
      tags: { Project: 'bandup', Environment: 'shared', Stack: id, ManagedBy: 'cdktf' },
    });

    this.stateKey = new EncryptionKey(this, 'state-key', {
      accountId: props.accountId,
      region: props.region,
      alias: STATE_KMS_ALIAS.replace(/^alias\//, ''),
      description: `Encrypts the Terraform state of Bandup in ${props.accountId}/${props.region}`,
      // The S3 backend reads and writes state objects through S3 only.
      viaServices: ['s3'],
      preventDestroy: true,
    });
    this.stateBucket = new SecureBucket(this, 'state', {
      bucketName: stateBucketName(props.accountId, props.region),
      encryption: this.stateKey,
      noncurrentVersionExpirationDays: STATE_NONCURRENT_VERSION_DAYS,
      // Losing the bucket loses every stack's state: Terraform refuses to plan its destruction.
      preventDestroy: true,
    });

    // Account-and-region singleton every API Gateway stage needs to log (the AI API): owned here,
    // once per account, so environments sharing the account never fight over it.
    new ApiGatewayLoggingRole(this, 'apigateway-logging', {
      accountId: props.accountId,
      region: props.region,
    });

    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.name });
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.stateKey.arn });
  }
}
