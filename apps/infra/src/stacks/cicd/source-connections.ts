import type { CodepipelineStage, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline/index.js';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import { Construct } from 'constructs';

export type SourceProvider = 'GitHub' | 'GitLab' | 'Bitbucket';

/** Push trigger of a pipeline: branch patterns, or tag patterns such as `v*`. */
export type SourceTrigger = { readonly branches: readonly string[] } | { readonly tags: readonly string[] };

/** Clone URL of `owner/name` on each host (CodeBuild sources need the URL, pipelines the id). */
export function repositoryUrl(provider: SourceProvider, repository: string): string {
  const host = { GitHub: 'github.com', GitLab: 'gitlab.com', Bitbucket: 'bitbucket.org' }[provider];
  return `https://${host}/${repository}.git`;
}

/** CodeBuild's source type for a host. */
export function codebuildSourceType(provider: SourceProvider): 'GITHUB' | 'GITLAB' | 'BITBUCKET' {
  return ({ GitHub: 'GITHUB', GitLab: 'GITLAB', Bitbucket: 'BITBUCKET' } as const)[provider];
}

/**
 * One CodeConnections connection per repository host the environment's pipelines read from,
 * named `bandup-<env>-<host>`. Each is created PENDING: an operator completes the handshake with
 * the host once in the console (apps/infra/README.md, CI/CD).
 */
export class SourceConnections extends Construct {
  private readonly byProvider = new Map<SourceProvider, CodestarconnectionsConnection>();

  constructor(
    scope: Construct,
    id: string,
    private readonly namePrefix: string,
  ) {
    super(scope, id);
  }

  /** The connection for a host (created on first use; the id `github` predates other hosts). */
  connection(provider: SourceProvider): CodestarconnectionsConnection {
    const existing = this.byProvider.get(provider);
    if (existing) return existing;
    const suffix = provider.toLowerCase();
    const created = new CodestarconnectionsConnection(this.node.scope as Construct, suffix, {
      name: `${this.namePrefix}${suffix}`,
      providerType: provider,
    });
    this.byProvider.set(provider, created);
    return created;
  }

  /** Every connection created, with its host. */
  get all(): readonly (readonly [SourceProvider, CodestarconnectionsConnection])[] {
    return [...this.byProvider.entries()];
  }
}

/** A pipeline's Source stage: the repository at `branch` through the host's connection. */
export function sourceStage(
  connection: CodestarconnectionsConnection,
  repository: string,
  branch: string,
): CodepipelineStage {
  return {
    name: 'Source',
    action: [
      {
        name: 'Source',
        category: 'Source',
        owner: 'AWS',
        provider: 'CodeStarSourceConnection',
        version: '1',
        namespace: 'SourceVariables',
        outputArtifacts: ['source'],
        configuration: {
          ConnectionArn: connection.arn,
          FullRepositoryId: repository,
          BranchName: branch,
          OutputArtifactFormat: 'CODE_ZIP',
          // Runs start from the pipeline's trigger (branch or tag patterns, path filters) instead.
          DetectChanges: 'false',
        },
      },
    ],
  };
}

/**
 * The V2 trigger of a pipeline: pushes to the configured branches (only those touching `filePaths`),
 * or pushed tags matching the configured patterns (a release tag starts a run whatever it changed).
 */
export function pushTrigger(trigger: SourceTrigger, filePaths: readonly string[]): CodepipelineTrigger {
  const push =
    'tags' in trigger
      ? { tags: { includes: [...trigger.tags] } }
      : { branches: { includes: [...trigger.branches] }, filePaths: { includes: [...filePaths] } };
  return {
    providerType: 'CodeStarSourceConnection',
    gitConfiguration: { sourceActionName: 'Source', push: [push] },
  };
}
