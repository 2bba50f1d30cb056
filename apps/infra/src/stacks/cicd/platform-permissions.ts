import type { Grantee } from '../../constructs/security/iam/policy-document.js';
import { STATE_KMS_ALIAS, stateBucketName } from '../state-bucket-name.js';

export interface PlatformScope {
  readonly accountId: string;
  readonly region: string;
  /** Environment name: every resource the pipeline manages is named `bandup-<env>-*`. */
  readonly environment: string;
  /** Prefix of the roles the pipeline runs as (`bandup-<env>-cicd-`): the pipeline may never change them. */
  readonly cicdPrefix: string;
  /** Buckets holding application data (uploads, media, logs): the plan project never reads their objects. */
  readonly dataBucketArns: readonly string[];
  /** Every other environment name that may share the account (and the state bucket). */
  readonly otherEnvironments: readonly string[];
}

/** Actions on state objects: another environment's are denied to both pipeline roles. */
const STATE_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAttributes',
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:RestoreObject',
];

/**
 * Dev and prod can share one account and one state bucket, and the dev pipeline runs code from the
 * dev branch: its roles must not read prod's state (it holds secrets in clear text) nor write it.
 * The managed policies (ReadOnlyAccess, PowerUserAccess) allow every object of every bucket, so an
 * explicit Deny names every state key outside the environment's prefix: the other environments'
 * prefixes, the bootstrap stack's own state and Terraform workspaces (`env:/`).
 */
function denyOtherEnvironmentsState(grantee: Grantee, scope: PlatformScope): void {
  const bucket = `arn:aws:s3:::${stateBucketName(scope.accountId, scope.region)}`;
  grantee.addToPolicy({
    sid: 'DenyOtherEnvironmentsState',
    effect: 'Deny',
    actions: STATE_OBJECT_ACTIONS,
    resources: [
      ...scope.otherEnvironments.map((env) => `${bucket}/${env}/*`),
      `${bucket}/bootstrap.tfstate*`,
      `${bucket}/env:/*`,
    ],
  });
}

/**
 * The apply role may not touch another environment's resources, by two independent guards:
 * - the `Environment` tag (every taggable resource carries it through the provider's default tags):
 *   no call on a resource tagged for another environment, no create tagged for another one.
 *   Account-level resources (the state bucket and key) are tagged `shared` and stay usable;
 * - the name prefix (`bandup-<other>-*`) in the ARN, for resources whose ARN carries the name
 *   (functions, tables, queues, roles, log groups, buckets, databases...) even where tags are not
 *   evaluated.
 */
function denyOtherEnvironmentsResources(grantee: Grantee, scope: PlatformScope): void {
  const { accountId, environment } = scope;
  grantee.addToPolicy({
    sid: 'DenyOtherEnvironmentsTaggedResources',
    effect: 'Deny',
    actions: ['*'],
    resources: ['*'],
    conditions: {
      StringNotEquals: { 'aws:ResourceTag/Environment': [environment, 'shared'] },
      Null: { 'aws:ResourceTag/Environment': 'false' },
    },
  });
  grantee.addToPolicy({
    sid: 'DenyCreatingForOtherEnvironments',
    effect: 'Deny',
    actions: ['*'],
    resources: ['*'],
    conditions: {
      StringNotEquals: { 'aws:RequestTag/Environment': environment },
      Null: { 'aws:RequestTag/Environment': 'false' },
    },
  });
  grantee.addToPolicy({
    sid: 'DenyOtherEnvironmentsNamedResources',
    effect: 'Deny',
    actions: ['*'],
    resources: scope.otherEnvironments.flatMap((env) => [
      `arn:aws:*:*:${accountId}:*bandup-${env}-*`,
      `arn:aws:s3:::bandup-${env}-*`,
    ]),
  });
}

/**
 * AWS managed `ReadOnlyAccess`, for the plan project only. `terraform plan` refreshes every resource
 * of five stacks across ~25 services (EC2, RDS, ElastiCache, ECS, ELB, WAF, API Gateway, Lambda,
 * SQS, DynamoDB, KMS, Logs, IAM, Route 53, ACM...), and the AWS provider calls a different, growing
 * set of Describe/Get/List APIs per resource type and version; a hand-kept list would break plans on
 * every provider upgrade. AWS maintains this policy as exactly "read configuration, change nothing".
 * Reads of data it would allow (S3 objects, items, messages) are denied below.
 */
export const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/**
 * AWS managed `PowerUserAccess`, for the apply project only: applying the platform creates and
 * changes resources in every one of those services, which no finite action list can keep up with.
 * It grants no IAM (beyond service-linked roles); IAM is granted separately, scoped to the
 * environment's role names. What it must never touch is denied explicitly (state, the pipeline
 * itself, other regions): see `grantApply`. This is the one broad grant of the platform, and the
 * reason the apply stage sits behind a manual approval of the exact saved plan.
 */
export const POWER_USER_ACCESS = 'arn:aws:iam::aws:policy/PowerUserAccess';

/** State objects and the state key of this environment (the bootstrap stack's bucket). */
function grantStateAccess(grantee: Grantee, scope: PlatformScope, write: boolean): void {
  const bucket = `arn:aws:s3:::${stateBucketName(scope.accountId, scope.region)}`;
  // Listing shows key names only (never contents); the S3 backend lists the bucket on init
  // (workspaces under `env:/`), so a prefix condition would break it.
  grantee.addToPolicy({ actions: ['s3:ListBucket'], resources: [bucket] });
  grantee.addToPolicy({ actions: ['s3:GetObject'], resources: [`${bucket}/${scope.environment}/*`] });
  // S3-native locking (`use_lockfile`): plan and apply both take the lock, `<key>.tflock`.
  grantee.addToPolicy({
    actions: ['s3:PutObject', 's3:DeleteObject'],
    resources: [`${bucket}/${scope.environment}/*.tflock`],
  });
  if (write) {
    grantee.addToPolicy({
      actions: ['s3:PutObject'],
      resources: [`${bucket}/${scope.environment}/*.tfstate`],
    });
  }
  // The state key is known by alias only (the bootstrap stack owns it); IAM cannot name a key by
  // alias ARN, so the key is matched by its alias.
  grantee.addToPolicy({
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [`arn:aws:kms:${scope.region}:${scope.accountId}:key/*`],
    conditions: {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [STATE_KMS_ALIAS] },
      StringEquals: { 'kms:ViaService': `s3.${scope.region}.amazonaws.com` },
    },
  });
}

/**
 * The plan project: read-only configuration access (managed policy, see READ_ONLY_ACCESS), the
 * environment's state, and the values of the secrets Terraform itself writes (`bandup-<env>-*`,
 * e.g. the AI API key), which `plan` must read back to refresh them. Operator secrets
 * (`bandup/<env>/...`) stay unreadable.
 */
export function grantPlan(grantee: Grantee, scope: PlatformScope): void {
  grantStateAccess(grantee, scope, false);
  denyOtherEnvironmentsState(grantee, scope);
  const { accountId, region, environment } = scope;
  grantee.addToPolicy({
    actions: ['secretsmanager:GetSecretValue'],
    resources: [`arn:aws:secretsmanager:${region}:${accountId}:secret:bandup-${environment}-*`],
  });
  // Refreshing reads back what the provider must compare: secret values (through Secrets Manager)
  // and Lambda environment variables (GetFunction returns them only to a caller that may decrypt
  // them; without it every function shows an in-place update on every plan). Only the
  // environment's own keys, and only through those two services.
  grantee.addToPolicy({
    actions: ['kms:Decrypt'],
    resources: [`arn:aws:kms:${region}:${accountId}:key/*`],
    conditions: {
      'ForAnyValue:StringLike': { 'kms:ResourceAliases': [`alias/bandup-${environment}-*`] },
      StringEquals: {
        'kms:ViaService': [`secretsmanager.${region}.amazonaws.com`, `lambda.${region}.amazonaws.com`],
      },
    },
  });
  // ReadOnlyAccess also reads data; a plan never needs application data.
  grantee.addToPolicy({
    sid: 'DenyApplicationData',
    effect: 'Deny',
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'sqs:ReceiveMessage',
      'rds-data:ExecuteStatement',
      'ssm:GetParameter',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
    ],
    resources: ['*'],
  });
  grantee.addToPolicy({
    sid: 'DenyApplicationObjects',
    effect: 'Deny',
    actions: ['s3:GetObject', 's3:GetObjectVersion'],
    resources: scope.dataBucketArns.map((arn) => `${arn}/*`),
  });
}

/** IAM actions Terraform uses to manage the platform's roles and their inline/attached policies. */
const ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:PassRole',
];

/**
 * The apply project: PowerUserAccess (see POWER_USER_ACCESS), IAM on the environment's roles only,
 * and explicit denies that no later grant can override:
 * - the pipeline's own roles, projects, pipelines and connection (`bandup-<env>-cicd-*`): the cicd
 *   stack is applied by an operator, because a pipeline that can rewrite its own permissions can
 *   grant itself anything;
 * - administrator policies on any role (no escalation through AttachRolePolicy);
 * - the state bucket's and state key's configuration (the bootstrap stack's, never the pipeline's);
 * - regional services outside the environment's region.
 */
export function grantApply(grantee: Grantee, scope: PlatformScope): void {
  grantStateAccess(grantee, scope, true);
  denyOtherEnvironmentsState(grantee, scope);
  denyOtherEnvironmentsResources(grantee, scope);
  const { accountId, region, environment, cicdPrefix } = scope;
  grantee.addToPolicy({
    actions: ROLE_ACTIONS,
    resources: [`arn:aws:iam::${accountId}:role/bandup-${environment}-*`],
  });
  grantee.addToPolicy({
    actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
    resources: ['arn:aws:iam::aws:policy/*'],
  });
  grantee.addToPolicy({
    sid: 'DenyPipelineSelfModification',
    effect: 'Deny',
    actions: ['iam:*'],
    resources: [`arn:aws:iam::${accountId}:role/${cicdPrefix}*`],
  });
  grantee.addToPolicy({
    sid: 'DenyPipelineResources',
    effect: 'Deny',
    actions: ['codebuild:*', 'codepipeline:*', 'codestar-connections:*', 'codeconnections:*'],
    resources: [
      `arn:aws:codebuild:${region}:${accountId}:project/${cicdPrefix}*`,
      `arn:aws:codepipeline:${region}:${accountId}:${cicdPrefix}*`,
      `arn:aws:codestar-connections:${region}:${accountId}:connection/*`,
      `arn:aws:codeconnections:${region}:${accountId}:connection/*`,
    ],
  });
  grantee.addToPolicy({
    sid: 'DenyAdministratorPolicies',
    effect: 'Deny',
    actions: ['iam:AttachRolePolicy'],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'iam:PolicyARN': [
          'arn:aws:iam::aws:policy/AdministratorAccess',
          'arn:aws:iam::aws:policy/IAMFullAccess',
          POWER_USER_ACCESS,
        ],
      },
    },
  });
  const stateBucket = `arn:aws:s3:::${stateBucketName(accountId, region)}`;
  grantee.addToPolicy({
    sid: 'DenyStateBucketConfiguration',
    effect: 'Deny',
    actions: [
      's3:DeleteBucket',
      's3:DeleteBucketPolicy',
      's3:PutBucketPolicy',
      's3:PutBucketVersioning',
      's3:PutLifecycleConfiguration',
      's3:PutEncryptionConfiguration',
      's3:PutBucketPublicAccessBlock',
      's3:DeleteObjectVersion',
    ],
    resources: [stateBucket, `${stateBucket}/*`],
  });
  grantee.addToPolicy({
    sid: 'DenyStateKeyAdministration',
    effect: 'Deny',
    actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:CreateGrant'],
    resources: ['*'],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [STATE_KMS_ALIAS] } },
  });
  grantee.addToPolicy({
    sid: 'DenyOtherRegions',
    effect: 'Deny',
    actions: REGIONAL_SERVICES.map((service) => `${service}:*`),
    resources: ['*'],
    conditions: { StringNotEquals: { 'aws:RequestedRegion': region } },
  });
}

/** Regional services the platform uses: the apply role may only call them in the environment's region. */
const REGIONAL_SERVICES = [
  'acm',
  'apigateway',
  'application-autoscaling',
  'cloudwatch',
  'codebuild',
  'codepipeline',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'elasticache',
  'elasticloadbalancing',
  'events',
  'kms',
  'lambda',
  'logs',
  'rds',
  'secretsmanager',
  'servicediscovery',
  'sns',
  'sqs',
  'wafv2',
] as const;
