import type { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline/index.js';
import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/schema.js';
import { SecureBucket } from '../../constructs/data/secure-bucket.js';
import { logsServicePrincipal } from '../../constructs/observability/log-group.js';
import { NotificationTopic } from '../../constructs/observability/notification-topic.js';
import { EncryptionKey } from '../../constructs/security/kms-key.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';
import type { BuildProject } from './build-project.js';
import { BuildProjects } from './build-projects.js';
import { DriftCheck } from './drift-check.js';
import { ImagesPipeline } from './images-pipeline.js';
import { InfraPipeline } from './infra-pipeline.js';
import type { PipelineContext } from './pipeline-role.js';
import { PullRequestChecks } from './pull-request-checks.js';
import { SourceConnections } from './source-connections.js';

export interface CicdStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  /**
   * Names of the app stack's ECR repositories (`bandup-<env>-<app>`). Names, not references: the
   * cicd stack is applied first in a new environment, before any stack it would otherwise read.
   */
  readonly repositoryNames: { readonly frontend: string; readonly backend: string };
  /** Names of the buckets holding application data, whose objects the plan project must never read. */
  readonly dataBucketNames: readonly string[];
  /** Name of the app stack's alarm topic: the drift check notifies it. */
  readonly alarmTopicName: string;
  /** KMS alias (`alias/...`) of the key encrypting the alarm topic. */
  readonly alarmTopicKeyAlias: string;
  /**
   * The stacks the infrastructure pipeline plans and applies. The cicd stack is not among them: it
   * holds the pipeline's own roles, so an operator applies it (README). They run in dependency
   * waves, read from the cross-stack references CDKTF records at synth.
   */
  readonly pipelineStacks: readonly TerraformStack[];
}

/**
 * `bandup-<env>-cicd`: source connections, and the pipelines of one environment.
 *
 * - infrastructure: Source, then for each dependency wave of stacks (network, data, ai, app,
 *   monitoring): Plan (synth, `terraform plan -out`, the plan review) -> manual Approve -> Apply
 *   (exactly the saved plans). A wave is planned only after the waves it depends on were applied in
 *   the same run, so a consumer never applies a plan made against stale producer outputs, and a
 *   new environment comes up in one run. A wave without changes skips its approval and apply.
 * - images: Source -> Build (frontend and backend images, tagged with the commit SHA). Releasing an
 *   image is `pnpm release` (promote a SHA to an immutable release tag, recorded in the config)
 *   and a pull request; the infrastructure pipeline plans and applies it.
 * - drift: on a schedule, plan every stack with refresh through the same review; notify the alarm
 *   topic when the live platform differs from the code.
 * - pull-request checks (where `cicd.pullRequests.enabled`): a webhook build of each pull request.
 *
 * The connections are created PENDING: an operator completes the handshake with each repository
 * host once in the console (apps/infra/README.md, "CI/CD"). Until then the source stages fail.
 */
export class CicdStack extends EnvironmentStack {
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
  readonly connections: SourceConnections;
  readonly approvalTopic: NotificationTopic;
  readonly projects: {
    readonly plan: BuildProject;
    readonly apply: BuildProject;
    readonly images: BuildProject;
    readonly drift: BuildProject;
    readonly pullRequests?: BuildProject;
  };
  readonly pipelines: {
    readonly infra: Codepipeline;
    readonly images: Codepipeline;
    readonly drift: Codepipeline;
  };

  constructor(scope: Construct, props: CicdStackProps) {
    super(scope, 'cicd', props);
    const { config } = props;
    const { cicd } = config;
    const stackIds = this.pipelineStackIds(props.pipelineStacks);
    this.key = this.createKey();
    this.artifacts = this.createArtifactStore();
    this.connections = new SourceConnections(this, 'connections', this.resourceName(''));
    const infraConnection = this.connections.connection(cicd.provider);
    const name = (suffix: string) => this.resourceName(suffix);
    const projects = new BuildProjects(this, 'projects', {
      config,
      name,
      key: this.key,
      artifacts: this.artifacts,
      stackIds,
      dataBucketNames: props.dataBucketNames,
      alarmTopic: { name: props.alarmTopicName, keyAlias: props.alarmTopicKeyAlias },
      repositoryNames: props.repositoryNames,
    });
    // Encrypted with this stack's key; only the infrastructure pipeline's role may publish (IAM).
    this.approvalTopic = new NotificationTopic(this, 'approvals-topic', {
      name: this.resourceName('cicd-approvals'),
      key: this.key,
      email: config.observability.alarmEmail,
      logicalIds: { topic: 'approvals', policy: 'approvals-policy', email: 'approvals-email' },
    });
    this.pipelines = this.createPipelines(projects, props.pipelineStacks);
    const pullRequests = cicd.pullRequests.enabled
      ? new PullRequestChecks(this, 'pull-request-checks', {
          config,
          name,
          key: this.key,
          connection: infraConnection,
        }).project
      : undefined;
    const { plan, apply, images, drift } = projects;
    this.projects = { plan, apply, images, drift, ...(pullRequests ? { pullRequests } : {}) };
    this.addOutputs();
  }

  /** The infrastructure, images and drift pipelines, each with its own role. */
  private createPipelines(
    projects: BuildProjects,
    stacks: readonly TerraformStack[],
  ): CicdStack['pipelines'] {
    const { cicd } = this.config;
    const context: PipelineContext = {
      accountId: this.config.accountId,
      region: this.config.region,
      environment: this.config.name,
      name: (suffix) => this.resourceName(suffix),
      key: this.key,
      artifacts: this.artifacts,
    };
    const connection = this.connections.connection(cicd.provider);
    const source = { connection, repository: cicd.repository, branch: cicd.branch };
    return {
      infra: new InfraPipeline(this, 'infra', {
        ...source,
        context,
        trigger: cicd.trigger ?? { branches: [cicd.branch] },
        plan: projects.plan,
        apply: projects.apply,
        approvalTopicArn: this.approvalTopic.arn,
        stacks,
      }).pipeline,
      images: new ImagesPipeline(this, 'images', {
        context,
        connection: this.connections.connection(cicd.images.provider),
        images: cicd.images,
        project: projects.images,
      }).pipeline,
      drift: new DriftCheck(this, 'drift', {
        ...source,
        context,
        project: projects.drift,
        schedule: cicd.driftSchedule,
      }).pipeline,
    };
  }

  /** The ids of the stacks the pipeline deploys: other stacks of this environment, at least one. */
  private pipelineStackIds(stacks: readonly TerraformStack[]): string[] {
    if (stacks.length === 0) throw new Error('CicdStack: pipelineStacks must name at least one stack');
    for (const stack of stacks) {
      const id = stack.node.id;
      if (!id.startsWith(`bandup-${this.config.name}-`) || id === this.node.id) {
        throw new Error(
          `CicdStack: pipelineStacks entry "${id}" is not another stack of ${this.config.name}`,
        );
      }
    }
    return stacks.map((s) => s.node.id);
  }

  private createKey(): EncryptionKey {
    const { accountId, region, name } = this.config;
    return new EncryptionKey(this, 'key', {
      accountId,
      region,
      alias: this.resourceName('cicd'),
      description: `Bandup ${name}: pipeline artifacts (saved plans), build logs, approval notifications`,
      viaServices: ['s3', 'sns', 'codebuild'],
      servicePrincipals: [logsServicePrincipal(accountId, region)],
    });
  }

  private createArtifactStore(): SecureBucket {
    return new SecureBucket(this, 'artifacts', {
      bucketName: `${this.resourceName('cicd-artifacts')}-${this.config.accountId}`,
      encryption: this.key,
      noncurrentVersionExpirationDays: this.config.storage.noncurrentVersionExpiryDays,
      // Artifacts belong to one run; a plan older than this is stale anyway.
      lifecycleRules: [
        { id: 'expire-artifacts', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] },
      ],
      preventDestroy: false,
      forceDestroy: !this.config.protectStatefulResources,
    });
  }

  private addOutputs(): void {
    for (const [provider, connection] of this.connections.all) {
      new TerraformOutput(this, `${provider.toLowerCase()}-connection-arn`, {
        value: connection.arn,
        description: `Complete the ${provider} handshake of this PENDING connection once in the console (README: CI/CD)`,
      });
    }
    new TerraformOutput(this, 'infra-pipeline-name', { value: this.pipelines.infra.name });
    new TerraformOutput(this, 'images-pipeline-name', { value: this.pipelines.images.name });
  }
}
