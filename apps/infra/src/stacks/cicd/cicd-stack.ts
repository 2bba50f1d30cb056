import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook/index.js';
import {
  Codepipeline,
  type CodepipelineStage,
  codepipelineStageToTerraform,
} from '@cdktf/provider-aws/lib/codepipeline/index.js';
import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import { Lazy, TerraformOutput, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type EnvironmentConfig, environmentSchema } from '../../config/schema.js';
import { ServiceRole } from '../../constructs/iam/service-role.js';
import { EncryptionKey } from '../../constructs/kms-key.js';
import { logsServicePrincipal } from '../../constructs/observability/log-group.js';
import { NotificationTopic } from '../../constructs/observability/notification-topic.js';
import { SecureBucket } from '../../constructs/secure-bucket.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';
import { BuildProject } from './build-project.js';
import { applyBuildspec } from './buildspecs/apply.js';
import { imagesBuildspec } from './buildspecs/images.js';
import { planBuildspec } from './buildspecs/plan.js';
import { pullRequestBuildspec } from './buildspecs/pull-request.js';
import {
  grantApply,
  grantPlan,
  type PlatformScope,
  POWER_USER_ACCESS,
  READ_ONLY_ACCESS,
} from './platform-permissions.js';
import {
  codebuildSourceType,
  pushTrigger,
  repositoryUrl,
  SourceConnections,
  sourceStage,
} from './source-connections.js';
import { stackWaves } from './stack-waves.js';

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

/** CodeBuild's Ubuntu image with the Node 20 runtime, docker and the AWS CLI. */
const X86_IMAGE = 'aws/codebuild/standard:7.0';
const ARM_IMAGE = 'aws/codebuild/amazonlinux-aarch64-standard:3.0';

/** AWS provider the pull-request check mirrors for the offline plan review (cdktf.json's pin). */
const AWS_PROVIDER_VERSION = '5.100.0';

/** Paths whose change starts the infrastructure pipeline (the infra app and what it bundles). */
const INFRA_PATHS = ['apps/infra/**', 'apps/ai-workers/**', 'packages/**', 'package.json', 'pnpm-lock.yaml'];

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
    const { accountId, region } = config;
    const cicdPrefix = this.resourceName('cicd-');
    if (props.pipelineStacks.length === 0)
      throw new Error('CicdStack: pipelineStacks must name at least one stack');
    for (const stack of props.pipelineStacks) {
      const id = stack.node.id;
      if (!id.startsWith(`bandup-${config.name}-`) || id === this.node.id) {
        throw new Error(`CicdStack: pipelineStacks entry "${id}" is not another stack of ${config.name}`);
      }
    }
    const stackIds = props.pipelineStacks.map((s) => s.node.id);

    this.key = new EncryptionKey(this, 'key', {
      accountId,
      region,
      alias: this.resourceName('cicd'),
      description: `Bandup ${config.name}: pipeline artifacts (saved plans), build logs, approval notifications`,
      viaServices: ['s3', 'sns', 'codebuild'],
      servicePrincipals: [logsServicePrincipal(accountId, region)],
    });

    this.artifacts = new SecureBucket(this, 'artifacts', {
      bucketName: `${this.resourceName('cicd-artifacts')}-${accountId}`,
      encryption: this.key,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpiryDays,
      // Artifacts belong to one run; a plan older than this is stale anyway.
      lifecycleRules: [
        { id: 'expire-artifacts', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] },
      ],
      preventDestroy: false,
      forceDestroy: !config.protectStatefulResources,
    });

    this.connections = new SourceConnections(this, 'connections', this.resourceName(''));
    const infraConnection = this.connections.connection(config.cicd.provider);
    const imagesConnection = this.connections.connection(config.cicd.images.provider);

    const common = {
      accountId,
      region,
      key: this.key,
      artifacts: this.artifacts,
      logRetentionDays: config.observability.logRetentionDays,
    };
    const terraformEnv = {
      BANDUP_ENV: config.name,
      STACKS: stackIds.join(' '),
      MODE: 'plan',
      ARTIFACT_BUCKET: this.artifacts.name,
      TERRAFORM_VERSION: config.cicd.terraformVersion,
      TERRAFORM_ARCH: 'amd64',
    };
    const platform: PlatformScope = {
      accountId,
      region,
      environment: config.name,
      cicdPrefix,
      dataBucketArns: props.dataBucketNames.map((name) => `arn:aws:s3:::${name}`),
      otherEnvironments: environmentSchema.shape.name.options.filter((name) => name !== config.name),
    };

    const plan = new BuildProject(this, 'plan', {
      ...common,
      name: this.resourceName('cicd-plan'),
      description: `Bandup ${config.name}: synthesize, terraform plan and review a wave of stacks (read-only)`,
      buildspec: planBuildspec(),
      image: X86_IMAGE,
      environmentType: 'LINUX_CONTAINER',
      computeType: 'BUILD_GENERAL1_MEDIUM',
      privilegedMode: false,
      environmentVariables: terraformEnv,
      timeoutMinutes: 60,
      managedPolicyArns: [READ_ONLY_ACCESS],
    });
    grantPlan(plan, platform);

    const apply = new BuildProject(this, 'apply', {
      ...common,
      name: this.resourceName('cicd-apply'),
      description: `Bandup ${config.name}: terraform apply of the approved saved plans`,
      buildspec: applyBuildspec(),
      image: X86_IMAGE,
      environmentType: 'LINUX_CONTAINER',
      computeType: 'BUILD_GENERAL1_SMALL',
      privilegedMode: false,
      environmentVariables: {
        BANDUP_ENV: config.name,
        TERRAFORM_VERSION: config.cicd.terraformVersion,
        TERRAFORM_ARCH: 'amd64',
      },
      // Creating a Multi-AZ database or cache cluster alone can take 40 minutes.
      timeoutMinutes: 180,
      managedPolicyArns: [POWER_USER_ACCESS],
    });
    grantApply(apply, platform);

    // Drift: the plan project's permissions (read-only), plus notifying the alarm topic.
    const alarmTopicArn = `arn:aws:sns:${region}:${accountId}:${props.alarmTopicName}`;
    const drift = new BuildProject(this, 'drift', {
      ...common,
      name: this.resourceName('cicd-drift'),
      description: `Bandup ${config.name}: scheduled plan of every stack with refresh (drift check)`,
      buildspec: planBuildspec(),
      image: X86_IMAGE,
      environmentType: 'LINUX_CONTAINER',
      computeType: 'BUILD_GENERAL1_MEDIUM',
      privilegedMode: false,
      environmentVariables: { ...terraformEnv, MODE: 'drift', WAVE: 'drift', ALARM_TOPIC_ARN: alarmTopicArn },
      timeoutMinutes: 60,
      managedPolicyArns: [READ_ONLY_ACCESS],
    });
    grantPlan(drift, platform);
    drift.addToPolicy({ actions: ['sns:Publish'], resources: [alarmTopicArn] });
    drift.addToPolicy({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [`arn:aws:kms:${region}:${accountId}:key/*`],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [props.alarmTopicKeyAlias] },
        StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` },
      },
    });

    const arch = imageArchitecture(config);
    const repositoryUri = (name: string) => `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`;
    const repositoryArns = [props.repositoryNames.frontend, props.repositoryNames.backend].map(
      (name) => `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
    );
    const images = new BuildProject(this, 'images', {
      ...common,
      name: this.resourceName('cicd-images'),
      description: `Bandup ${config.name}: build and push the frontend and backend images`,
      buildspec: imagesBuildspec(),
      image: arch === 'ARM64' ? ARM_IMAGE : X86_IMAGE,
      environmentType: arch === 'ARM64' ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
      computeType: 'BUILD_GENERAL1_MEDIUM',
      // `docker build` needs the Docker daemon inside the build container, which CodeBuild only runs
      // in privileged mode. Only this project has it: it holds no Terraform state and no broad role.
      privilegedMode: true,
      environmentVariables: {
        PLATFORM: arch === 'ARM64' ? 'linux/arm64' : 'linux/amd64',
        FRONTEND_REPOSITORY_URI: repositoryUri(props.repositoryNames.frontend),
        FRONTEND_CONTEXT: config.cicd.images.frontend.context,
        FRONTEND_DOCKERFILE: config.cicd.images.frontend.dockerfile,
        BACKEND_REPOSITORY_URI: repositoryUri(props.repositoryNames.backend),
        BACKEND_CONTEXT: config.cicd.images.backend.context,
        BACKEND_DOCKERFILE: config.cicd.images.backend.dockerfile,
      },
      timeoutMinutes: 60,
    });
    images.addToPolicy({
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        // Skip a revision already pushed (immutable tags) instead of failing on the push.
        'ecr:DescribeImages',
      ],
      resources: repositoryArns,
    });
    // The registry login token is account-wide: the action has no resource-level permissions.
    images.addToPolicy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });

    // Encrypted with this stack's key; only the infrastructure pipeline's role may publish (IAM).
    this.approvalTopic = new NotificationTopic(this, 'approvals-topic', {
      name: this.resourceName('cicd-approvals'),
      key: this.key,
      email: config.observability.alarmEmail,
      logicalIds: { topic: 'approvals', policy: 'approvals-policy', email: 'approvals-email' },
    });

    const infraRole = this.pipelineRole('infra-pipeline-role', 'infra', [plan, apply], infraConnection);
    infraRole.addToPolicy({ actions: ['sns:Publish'], resources: [this.approvalTopic.arn] });
    const imagesRole = this.pipelineRole('images-pipeline-role', 'images', [images], imagesConnection);
    const driftRole = this.pipelineRole('drift-pipeline-role', 'drift', [drift], infraConnection);

    const infraTrigger = config.cicd.trigger ?? { branches: [config.cicd.branch] };
    const imagesTrigger = config.cicd.images.trigger ?? { branches: [config.cicd.images.branch] };
    const infraSource = sourceStage(infraConnection, config.cicd.repository, config.cicd.branch);
    const waveStages = (): CodepipelineStage[] =>
      stackWaves(props.pipelineStacks).flatMap((wave) =>
        this.waveStages(
          wave.map((s) => s.node.id),
          plan,
          apply,
        ),
      );
    this.pipelines = {
      infra: new Codepipeline(this, 'infra-pipeline', {
        name: this.resourceName('cicd-infra'),
        pipelineType: 'V2',
        // One execution at a time, start to finish: a plan is applied against the state it was made
        // from (a superseded or parallel run would leave a stale plan, which Terraform refuses).
        executionMode: 'QUEUED',
        roleArn: infraRole.arn,
        artifactStore: [this.artifactStore()],
        trigger: [pushTrigger(infraTrigger, INFRA_PATHS)],
        // The waves come from the stacks' dependencies, which CDKTF records while it prepares the
        // stacks for synthesis: resolved lazily, after every cross-stack reference is known.
        stage: Lazy.anyValue({
          produce: () => [infraSource, ...waveStages()].map((stage) => codepipelineStageToTerraform(stage)),
        }) as unknown as CodepipelineStage[],
      }),
      images: new Codepipeline(this, 'images-pipeline', {
        name: this.resourceName('cicd-images'),
        pipelineType: 'V2',
        executionMode: 'QUEUED',
        roleArn: imagesRole.arn,
        artifactStore: [this.artifactStore()],
        trigger: [
          pushTrigger(
            imagesTrigger,
            [config.cicd.images.frontend.context, config.cicd.images.backend.context].map((c) => `${c}/**`),
          ),
        ],
        stage: [
          // The images come from the application repository, not from this infrastructure monorepo.
          sourceStage(imagesConnection, config.cicd.images.repository, config.cicd.images.branch),
          {
            name: 'Build',
            action: [
              {
                name: 'Images',
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
                inputArtifacts: ['source'],
                outputArtifacts: ['images'],
                configuration: {
                  ProjectName: images.name,
                  // Immutable tag: the full commit SHA the source stage resolved.
                  EnvironmentVariables: JSON.stringify([
                    { name: 'IMAGE_TAG', value: '#{SourceVariables.CommitId}', type: 'PLAINTEXT' },
                  ]),
                },
              },
            ],
          },
        ],
      }),
      drift: new Codepipeline(this, 'drift-pipeline', {
        name: this.resourceName('cicd-drift'),
        pipelineType: 'V2',
        // A drift check that finds another one running has nothing to add.
        executionMode: 'SUPERSEDED',
        roleArn: driftRole.arn,
        artifactStore: [this.artifactStore()],
        stage: [
          infraSource,
          {
            name: 'Drift',
            action: [
              {
                name: 'Drift',
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
                inputArtifacts: ['source'],
                configuration: {
                  ProjectName: drift.name,
                  EnvironmentVariables: JSON.stringify([
                    {
                      name: 'PIPELINE_EXECUTION_ID',
                      value: '#{codepipeline.PipelineExecutionId}',
                      type: 'PLAINTEXT',
                    },
                  ]),
                },
              },
            ],
          },
        ],
      }),
    };
    this.scheduleDrift(config.cicd.driftSchedule);
    const { artifacts: _pipelineOnly, ...withoutArtifacts } = common;
    const pullRequests = config.cicd.pullRequests.enabled
      ? this.pullRequestChecks(withoutArtifacts)
      : undefined;
    this.projects = { plan, apply, images, drift, ...(pullRequests ? { pullRequests } : {}) };

    for (const [provider, connection] of this.connections.all) {
      new TerraformOutput(this, `${provider.toLowerCase()}-connection-arn`, {
        value: connection.arn,
        description: `Complete the ${provider} handshake of this PENDING connection once in the console (README: CI/CD)`,
      });
    }
    new TerraformOutput(this, 'infra-pipeline-name', { value: this.pipelines.infra.name });
    new TerraformOutput(this, 'images-pipeline-name', { value: this.pipelines.images.name });
  }

  /**
   * The three stages of one wave. Approve and Apply are skipped (entry condition) when the wave's
   * plan found no changes; the approval message carries the review's verdict and RED/AMBER lines,
   * and links to the full review.
   */
  private waveStages(
    stacks: readonly string[],
    plan: BuildProject,
    apply: BuildProject,
  ): CodepipelineStage[] {
    const wave = stacks.map((id) => id.replace(`bandup-${this.config.name}-`, '')).join('-');
    const namespace = `Plan-${wave}`;
    const artifact = `plan_${wave.replaceAll('-', '_')}`;
    const onlyWhenChanged = {
      condition: {
        result: 'SKIP',
        rule: [
          {
            name: 'HasChanges',
            ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
            configuration: { Variable: `#{${namespace}.CHANGED}`, Value: 'true', Operator: 'EQ' },
          },
        ],
      },
    };
    const variables = [
      { name: 'STACKS', value: stacks.join(' '), type: 'PLAINTEXT' },
      { name: 'WAVE', value: wave, type: 'PLAINTEXT' },
      { name: 'PIPELINE_EXECUTION_ID', value: '#{codepipeline.PipelineExecutionId}', type: 'PLAINTEXT' },
    ];
    return [
      {
        name: `Plan-${wave}`,
        action: [
          {
            name: 'Plan',
            category: 'Build',
            owner: 'AWS',
            provider: 'CodeBuild',
            version: '1',
            namespace,
            inputArtifacts: ['source'],
            outputArtifacts: [artifact],
            configuration: { ProjectName: plan.name, EnvironmentVariables: JSON.stringify(variables) },
          },
        ],
      },
      {
        name: `Approve-${wave}`,
        beforeEntry: onlyWhenChanged,
        action: [
          {
            name: 'Approve',
            category: 'Approval',
            owner: 'AWS',
            provider: 'Manual',
            version: '1',
            configuration: {
              NotificationArn: this.approvalTopic.arn,
              CustomData: `${this.config.name} ${wave} #{${namespace}.APPROVAL_SUMMARY}`,
              ExternalEntityLink: `#{${namespace}.REVIEW_URL}`,
            },
          },
        ],
      },
      {
        name: `Apply-${wave}`,
        beforeEntry: onlyWhenChanged,
        action: [
          {
            name: 'Apply',
            category: 'Build',
            owner: 'AWS',
            provider: 'CodeBuild',
            version: '1',
            inputArtifacts: [artifact],
            configuration: { ProjectName: apply.name },
          },
        ],
      },
    ];
  }

  /** Starts the drift pipeline on the configured schedule. */
  private scheduleDrift(schedule: string): void {
    const rule = new CloudwatchEventRule(this, 'drift-schedule', {
      name: this.resourceName('cicd-drift'),
      description: `Bandup ${this.config.name}: start the drift check`,
      scheduleExpression: schedule,
    });
    const role = new ServiceRole(this, 'drift-schedule-role', {
      name: this.resourceName('cicd-drift-schedule'),
      description: `Bandup ${this.config.name}: EventBridge starts the drift pipeline`,
      assumedBy: 'events.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': this.config.accountId },
        ArnLike: {
          'aws:SourceArn': `arn:aws:events:${this.config.region}:${this.config.accountId}:rule/${this.resourceName('cicd-drift')}`,
        },
      },
    });
    role.addToPolicy({
      actions: ['codepipeline:StartPipelineExecution'],
      resources: [this.pipelines.drift.arn],
    });
    new CloudwatchEventTarget(this, 'drift-schedule-target', {
      rule: rule.name,
      arn: this.pipelines.drift.arn,
      roleArn: role.arn,
    });
  }

  /**
   * Pull-request checks: a CodeBuild project reading the repository through its connection, started
   * by the host's pull-request events (CodeBuild supports GitHub, GitLab and Bitbucket webhooks over
   * CodeConnections, where a hosted workflow file would tie the checks to one host). The build runs
   * the pull request's code, so its role can do nothing in AWS beyond its logs, the connection and
   * the comment token: no state, no artifacts, no read access to the platform.
   */
  private pullRequestChecks(common: {
    accountId: string;
    region: string;
    key: EncryptionKey;
    logRetentionDays: number;
  }): BuildProject {
    const { cicd } = this.config;
    const connection = this.connections.connection(cicd.provider);
    const tokenSecret = cicd.pullRequests.commentTokenSecretName;
    const project = new BuildProject(this, 'pull-requests', {
      ...common,
      name: this.resourceName('cicd-pull-requests'),
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
    project.addToPolicy({
      actions: [
        'codestar-connections:UseConnection',
        'codeconnections:UseConnection',
        'codestar-connections:GetConnectionToken',
        'codeconnections:GetConnectionToken',
      ],
      resources: [connection.arn],
    });
    if (tokenSecret) {
      project.addToPolicy({
        actions: ['secretsmanager:GetSecretValue'],
        // Secrets Manager appends a random 6-character suffix to the ARN.
        resources: [
          `arn:aws:secretsmanager:${this.config.region}:${this.config.accountId}:secret:${tokenSecret}-??????`,
        ],
      });
    }
    new CodebuildWebhook(this, 'pull-requests-webhook', {
      projectName: project.name,
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
    return project;
  }

  /** A pipeline's own role: its projects, the artifact store, the connection, nothing else. */
  private pipelineRole(
    id: string,
    purpose: string,
    projects: readonly BuildProject[],
    connection: CodestarconnectionsConnection,
  ): ServiceRole {
    const name = this.resourceName(`cicd-${purpose}-pipeline`);
    const role = new ServiceRole(this, id, {
      name,
      description: `Bandup ${this.config.name}: CodePipeline ${purpose}`,
      assumedBy: 'codepipeline.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': this.config.accountId },
        ArnLike: {
          'aws:SourceArn': `arn:aws:codepipeline:${this.config.region}:${this.config.accountId}:${this.resourceName(`cicd-${purpose}`)}`,
        },
      },
    });
    for (const project of projects) project.grantStartBuild(role);
    this.artifacts.grantReadWrite(role);
    // CodePipeline checks the artifact store's versioning and location before each run.
    role.addToPolicy({
      actions: ['s3:GetBucketVersioning', 's3:GetBucketLocation'],
      resources: [this.artifacts.arn],
    });
    this.key.grantEncryptDecrypt(role);
    // The service was renamed CodeConnections; both prefixes authorize the same connection.
    role.addToPolicy({
      actions: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      resources: [connection.arn],
    });
    return role;
  }

  private artifactStore() {
    return { type: 'S3', location: this.artifacts.name, encryptionKey: { id: this.key.arn, type: 'KMS' } };
  }
}

/** The one CPU architecture both app images are built for (the images project runs on it natively). */
function imageArchitecture(config: EnvironmentConfig): 'X86_64' | 'ARM64' {
  const { frontend, backend } = config.ecs;
  if (frontend.cpuArchitecture !== backend.cpuArchitecture) {
    throw new Error(
      `cicd (${config.name}): ecs.frontend.cpuArchitecture (${frontend.cpuArchitecture}) and ecs.backend.cpuArchitecture (${backend.cpuArchitecture}) differ; the images project builds both natively on one architecture`,
    );
  }
  return frontend.cpuArchitecture;
}
