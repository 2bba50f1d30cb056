import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy/index.js';
import { Construct } from 'constructs';
import { type Grantee, renderPolicy } from './iam/policy-document.js';

export interface ContainerRepositoryProps {
  /** Repository name, `bandup-<env>-<app>`. */
  readonly name: string;
  readonly accountId: string;
  /** Customer managed key for the image layers (its policy must admit use through `ecr`). */
  readonly encryptionKey: { readonly arn: string };
  /** Release images (tags starting with `v`) kept; older ones expire. */
  readonly keepReleaseImages: number;
  /** Other tagged images (commit SHAs, branch builds) kept; older ones expire. */
  readonly keepOtherTaggedImages: number;
  /** Days after push before an untagged image (a superseded manifest, a failed push) expires. */
  readonly untaggedExpiryDays: number;
  /** Let `terraform destroy` delete a repository that still holds images (dev only). */
  readonly forceDelete: boolean;
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
    for (const field of ['keepReleaseImages', 'keepOtherTaggedImages', 'untaggedExpiryDays'] as const) {
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

    // Rule order matters: an image matched by a higher-priority rule is never expired by a lower one,
    // so release images are only ever counted against the release rule.
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
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
            rulePriority: 2,
            description: `Keep the last ${props.keepReleaseImages} release images (v* tags)`,
            selection: {
              tagStatus: 'tagged',
              tagPrefixList: ['v'],
              countType: 'imageCountMoreThan',
              countNumber: props.keepReleaseImages,
            },
            action: { type: 'expire' },
          },
          {
            rulePriority: 3,
            description: `Keep the last ${props.keepOtherTaggedImages} other tagged images`,
            selection: {
              tagStatus: 'any',
              countType: 'imageCountMoreThan',
              countNumber: props.keepOtherTaggedImages,
            },
            action: { type: 'expire' },
          },
        ],
      }),
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
