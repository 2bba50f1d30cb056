import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import type { Construct } from 'constructs';
import type { SecureBucket } from '../../constructs/data/secure-bucket.js';
import { ServiceRole } from '../../constructs/security/iam/service-role.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import type { BuildProject } from './build-project.js';

/** What every pipeline of the cicd stack shares: its account, names, key and artifact store. */
export interface PipelineContext {
  readonly accountId: string;
  readonly region: string;
  readonly environment: string;
  /** `bandup-<env>-<suffix>`. */
  readonly name: (suffix: string) => string;
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
}

/** The artifact store of a pipeline: the artifacts bucket, encrypted with the stack's key. */
export function artifactStore(context: PipelineContext) {
  return {
    type: 'S3',
    location: context.artifacts.name,
    encryptionKey: { id: context.key.arn, type: 'KMS' },
  };
}

/** A pipeline's own role: its projects, the artifact store, the connection, nothing else. */
export function pipelineRole(
  scope: Construct,
  id: string,
  context: PipelineContext,
  pipeline: { readonly purpose: string; readonly projects: readonly BuildProject[] },
  connection: CodestarconnectionsConnection,
): ServiceRole {
  const { accountId, region } = context;
  const { purpose } = pipeline;
  const role = new ServiceRole(scope, id, {
    name: context.name(`cicd-${purpose}-pipeline`),
    description: `Bandup ${context.environment}: CodePipeline ${purpose}`,
    assumedBy: 'codepipeline.amazonaws.com',
    trustConditions: {
      StringEquals: { 'aws:SourceAccount': accountId },
      ArnLike: {
        'aws:SourceArn': `arn:aws:codepipeline:${region}:${accountId}:${context.name(`cicd-${purpose}`)}`,
      },
    },
  });
  for (const project of pipeline.projects) project.grantStartBuild(role);
  context.artifacts.grantReadWrite(role);
  // CodePipeline checks the artifact store's versioning and location before each run.
  role.addToPolicy({
    actions: ['s3:GetBucketVersioning', 's3:GetBucketLocation'],
    resources: [context.artifacts.arn],
  });
  context.key.grantEncryptDecrypt(role);
  // The service was renamed CodeConnections; both prefixes authorize the same connection.
  role.addToPolicy({
    actions: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
    resources: [connection.arn],
  });
  return role;
}
