import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook/index.js';
import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import { BuildProject } from './build-project.js';
import { X86_IMAGE } from './build-projects.js';
import { pullRequestBuildspec } from './buildspecs/pull-request.js';
import { codebuildSourceType, repositoryUrl } from './source-connections.js';

/** AWS provider the pull-request check mirrors for the offline plan review (cdktf.json's pin). */
const AWS_PROVIDER_VERSION = '5.100.0';

export interface PullRequestChecksProps {
  readonly config: EnvironmentConfig;
  readonly name: (suffix: string) => string;
  readonly key: EncryptionKey;
  readonly connection: CodestarconnectionsConnection;
}

/**
 * Pull-request checks: a CodeBuild project reading the repository through its connection, started
 * by the host's pull-request events (CodeBuild supports GitHub, GitLab and Bitbucket webhooks over
 * CodeConnections, where a hosted workflow file would tie the checks to one host). The build runs
 * the pull request's code, so its role can do nothing in AWS beyond its logs, the connection and
 * the comment token: no state, no artifacts, no read access to the platform.
 */
export class PullRequestChecks extends FlatConstruct {
  readonly project: BuildProject;
  private readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: PullRequestChecksProps) {
    super(scope, id);
    const { config, connection } = props;
    this.config = config;
    const { cicd, accountId, region } = config;
    const tokenSecret = cicd.pullRequests.commentTokenSecretName;
    this.project = new BuildProject(this, 'pull-requests', {
      accountId,
      region,
      key: props.key,
      logRetentionDays: config.observability.logRetentionDays,
      name: props.name('cicd-pull-requests'),
      description: `Bandup: lint, typecheck, tests of affected packages and the offline plan review of pull requests`,
      buildspec: pullRequestBuildspec(),
      image: X86_IMAGE,
      environmentType: 'LINUX_CONTAINER',
      computeType: 'BUILD_GENERAL1_MEDIUM',
      privilegedMode: false,
      environmentVariables: {
        SOURCE_PROVIDER: cicd.provider,
        REPOSITORY: cicd.repository,
        BASE_BRANCH: cicd.pullRequests.baseBranch,
        TERRAFORM_VERSION: cicd.terraformVersion,
        TERRAFORM_ARCH: 'amd64',
        AWS_PROVIDER_VERSION,
        TF_PLUGIN_DIR: '/tmp/tf-plugins',
      },
      ...(tokenSecret ? { secretVariables: { REVIEW_COMMENT_TOKEN: tokenSecret } } : {}),
      timeoutMinutes: 60,
      source: {
        type: codebuildSourceType(cicd.provider),
        location: repositoryUrl(cicd.provider, cicd.repository),
        // Full history: the affected-package filter and the review compare with the base branch.
        gitCloneDepth: 0,
        reportBuildStatus: true,
        auth: { type: 'CODECONNECTIONS', resource: connection.arn },
      },
    });
    this.grantSourceAccess(connection, tokenSecret);
    new CodebuildWebhook(this, 'pull-requests-webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      filterGroup: [
        {
          filter: [
            { type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
            { type: 'BASE_REF', pattern: `^refs/heads/${cicd.pullRequests.baseBranch}$` },
          ],
        },
      ],
    });
  }

  /** The connection (clone, report status) and, when configured, the review comment token. */
  private grantSourceAccess(
    connection: CodestarconnectionsConnection,
    tokenSecret: string | undefined,
  ): void {
    const { region, accountId } = this.config;
    this.project.addToPolicy({
      actions: [
        'codestar-connections:UseConnection',
        'codeconnections:UseConnection',
        'codestar-connections:GetConnectionToken',
        'codeconnections:GetConnectionToken',
      ],
      resources: [connection.arn],
    });
    if (tokenSecret) {
      this.project.addToPolicy({
        actions: ['secretsmanager:GetSecretValue'],
        // Secrets Manager appends a random 6-character suffix to the ARN.
        resources: [`arn:aws:secretsmanager:${region}:${accountId}:secret:${tokenSecret}-??????`],
      });
    }
  }
}
