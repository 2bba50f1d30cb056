import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy/index.js';
import { Construct } from 'constructs';
import { type Grantee, renderPolicy } from '../security/iam/policy-document.js';

export interface ContainerRepositoryProps {
  /** Repository name, `bandup-<env>-<app>`. */
  readonly name: string;
  readonly accountId: string;
  /** Customer managed key for the image layers (its policy must admit use through `ecr`). */
  readonly encryptionKey: { readonly arn: string };
  /** Other tagged images (commit SHAs, branch builds) kept; older ones expire. Release images never do. */
  readonly keepOtherTaggedImages: number;
  /** Days after push before an untagged image (a superseded manifest, a failed push) expires. */
  readonly untaggedExpiryDays: number;
  /** Let `terraform destroy` delete a repository that still holds images (dev only). */
  readonly forceDelete: boolean;
}

/** Tag prefix of release images (`v1.2.3`): the tags `pnpm release` writes and the config deploys. */
const RELEASE_TAG_PREFIX = 'v';

/**
 * An image count the release rule can never reach. ECR has no "keep" action: an image is kept from
 * lower-priority rules by being selected by a higher-priority one, so the release rule selects every
 * release image and expires none. Releases are few (one per promotion) and deployed task
 * definitions reference them: a release image leaves the repository only by a deliberate delete.
 */
const RELEASE_IMAGES_NEVER_EXPIRE = 9999;

/**
 * The lifecycle rules, in ECR's semantics: rules are evaluated by priority, an image selected by a
 * higher-priority rule is never expired by a lower one, and `imageCountMoreThan` keeps the newest by
 * push time.
 * 1. release images (`v*` tags): selected, never expired (see RELEASE_IMAGES_NEVER_EXPIRE);
 * 2. untagged images (superseded manifests, failed pushes): expire after `untaggedExpiryDays`;
 * 3. every other image (commit-SHA builds never released): the newest `keepOtherTaggedImages` stay.
 */
function lifecycleRules(
  props: Pick<ContainerRepositoryProps, 'keepOtherTaggedImages' | 'untaggedExpiryDays'>,
) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Keep every release image (v* tags): deployed task definitions reference them',
        selection: {
          tagStatus: 'tagged',
          tagPrefixList: [RELEASE_TAG_PREFIX],
          countType: 'imageCountMoreThan',
          countNumber: RELEASE_IMAGES_NEVER_EXPIRE,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Expire untagged images after ${props.untaggedExpiryDays} days`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: props.untaggedExpiryDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 3,
        description: `Keep the last ${props.keepOtherTaggedImages} unreleased images (commit SHA builds)`,
        selection: {
          tagStatus: 'any',
          countType: 'imageCountMoreThan',
          countNumber: props.keepOtherTaggedImages,
        },
        action: { type: 'expire' },
      },
    ],
  };
}

/** Actions a puller needs on the repository itself (the registry token is separate: see grantPull). */
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

/**
 * A private ECR repository for one app: immutable tags (a tag always means the same image, so a
 * task definition pins exactly what was scanned and tested), scan on push, KMS encryption, a
 * lifecycle policy that bounds storage, and a repository policy that refuses other accounts.
 */
export class ContainerRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(props.name) || props.name.length > 256) {
      throw new Error(
        `ECR repository name "${props.name}" must be lower-case letters, digits and . _ - separators`,
      );
    }
    for (const field of ['keepOtherTaggedImages', 'untaggedExpiryDays'] as const) {
      if (!Number.isInteger(props[field]) || props[field] < 1) {
        throw new Error(
          `ECR repository ${props.name}: ${field} must be a positive integer, got ${props[field]}`,
        );
      }
    }
    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.encryptionKey.arn }],
      forceDelete: props.forceDelete,
    });

    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify(lifecycleRules(props)),
    });

    // Same-account access is governed by IAM; this policy makes sure no other account (and no
    // anonymous caller) can ever be let in by a later, broader statement.
    new EcrRepositoryPolicy(this, 'policy', {
      repository: this.repository.name,
      policy: renderPolicy([
        {
          sid: 'DenyOtherAccounts',
          effect: 'Deny',
          principals: '*',
          actions: ['ecr:*'],
          resources: [],
          conditions: { StringNotEquals: { 'aws:PrincipalAccount': props.accountId } },
        },
      ]),
    });
  }

  get arn(): string {
    return this.repository.arn;
  }

  get name(): string {
    return this.repository.name;
  }

  /** Image reference for a tag: `<account>.dkr.ecr.<region>.amazonaws.com/<name>:<tag>`. */
  imageUri(tag: string): string {
    return `${this.repository.repositoryUrl}:${tag}`;
  }

  /** Pull images (an ECS task execution role). */
  grantPull(grantee: Grantee): void {
    grantee.addToPolicy({ actions: PULL_ACTIONS, resources: [this.repository.arn] });
    // The registry login token is account-wide: the action has no resource-level permissions.
    grantee.addToPolicy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
  }

  /** Push images (a CI build role). */
  grantPush(grantee: Grantee): void {
    grantee.addToPolicy({ actions: PUSH_ACTIONS, resources: [this.repository.arn] });
    grantee.addToPolicy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
  }
}
