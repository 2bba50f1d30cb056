import path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { LocalBackend, S3Backend, TerraformElement, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { isFlatScope } from '../constructs/flat-construct.js';
import type { DeploymentMode } from './deployment-mode.js';
import { STATE_KMS_ALIAS, stateBucketName } from './state-bucket-name.js';

export interface BandupStackProps {
  /** Environment name, or `null` for account-level stacks (bootstrap). */
  readonly environment: string | null;
  /** Short stack name: `network`, `data`, ... The Terraform stack id is `bandup-<env>-<name>`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly mode: DeploymentMode;
  /**
   * Use local state even in deploy mode (the bootstrap stack, before its bucket exists): the state
   * file path, relative to the stack's synthesized directory (`cdktf.out/stacks/<id>/`).
   */
  readonly localStatePathInDeployMode?: string;
  /** Tags every resource gets through the provider's `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Minimum Terraform: S3-native state locking (`use_lockfile`) arrived in 1.10. */
const REQUIRED_TERRAFORM_VERSION = '>= 1.10';

/**
 * Base of every Bandup stack: one AWS provider pinned to the configured account and region,
 * default tags, and the state backend (S3 with native locking, or local in offline mode).
 */
export class BandupStack extends TerraformStack {
  readonly environment: string | null;
  readonly accountId: string;
  readonly region: string;
  readonly provider: AwsProvider;
  readonly mode: DeploymentMode;
  /** Logical id -> construct path of the element that has it (to refuse two elements one id). */
  private readonly pathsByLogicalId = new Map<string, string>();

  constructor(scope: Construct, id: string, props: BandupStackProps) {
    super(scope, id);
    this.environment = props.environment;
    this.accountId = props.accountId;
    this.region = props.region;
    this.mode = props.mode;

    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      // Refuse to run against any other account: a wrong profile fails before it changes anything.
      // (Offline there is no account to check: the provider skips requesting it.)
      ...(props.mode.kind === 'deploy' ? { allowedAccountIds: [props.accountId] } : {}),
      defaultTags: [{ tags: { ...props.tags } }],
      ...(props.mode.kind === 'offline' ? OFFLINE_PROVIDER_SETTINGS : {}),
    });

    const stateKey = props.environment
      ? `${props.environment}/${props.name}.tfstate`
      : `${props.name}.tfstate`;
    if (props.mode.kind === 'offline') {
      new LocalBackend(this, { path: path.join(props.mode.stateDir, stateKey) });
    } else if (props.localStatePathInDeployMode) {
      new LocalBackend(this, { path: props.localStatePathInDeployMode });
    } else {
      new S3Backend(this, {
        bucket: stateBucketName(props.accountId, props.region),
        key: stateKey,
        region: props.region,
        encrypt: true,
        kmsKeyId: STATE_KMS_ALIAS,
      });
      // CDKTF 0.21's S3Backend predates S3-native locking; add it so no DynamoDB lock table is needed.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }
  }

  /**
   * CDKTF's id scheme over the construct path with every `FlatConstruct` left out, so resources
   * grouped into named constructs keep the ids (and Terraform addresses) they had in the stack.
   * Two elements with one id would silently overwrite each other in the JSON: that fails synth.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes.filter((scope) => !isFlatScope(scope));
    const id =
      scopes.length === node.scopes.length
        ? super.allocateLogicalId(element)
        : super.allocateLogicalId({ scopes } as unknown as Node);
    const owner = this.pathsByLogicalId.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(
        `Stack ${this.node.id}: logical id "${id}" is taken by ${owner} and ${node.path}; rename one construct id`,
      );
    }
    this.pathsByLogicalId.set(id, node.path);
    return id;
  }
}

/**
 * Offline mode only: mock credentials and every skip flag, so `terraform plan` runs with no network.
 * Never used by `cdktf deploy`.
 */
export const OFFLINE_PROVIDER_SETTINGS = {
  accessKey: 'offline-mock-access-key',
  secretKey: 'offline-mock-secret-key',
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: 'true',
  skipRegionValidation: true,
} as const;
