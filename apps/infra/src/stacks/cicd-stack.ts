import { Codepipeline, type CodepipelineStage } from '@cdktf/provider-aws/lib/codepipeline/index.js';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/index.js';
import { type Grantee, renderPolicy } from '../constructs/iam/policy-document.js';
import { ServiceRole } from '../constructs/iam/service-role.js';
import { EncryptionKey } from '../constructs/kms-key.js';
import { logsServicePrincipal } from '../constructs/log-group.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import { BuildProject } from './cicd/build-project.js';
import { applyBuildspec } from './cicd/buildspecs/apply.js';
import { imagesBuildspec } from './cicd/buildspecs/images.js';
import { planBuildspec } from './cicd/buildspecs/plan.js';
import { grantApply, grantPlan, POWER_USER_ACCESS, READ_ONLY_ACCESS } from './cicd/platform-permissions.js';
import type { DeploymentMode } from './deployment-mode.js';
import { EnvironmentStack } from './environment-stack.js';

/** An app stack ECR repository, as the image build needs it (a `ContainerRepository`). */
export interface CicdRepository {
  readonly name: string;
  readonly arn: string;
  readonly repository: { readonly repositoryUrl: string };
  grantPush(grantee: Grantee): void;
}

export interface CicdStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  /** The app stack's repositories: the images project pushes to exactly these two. */
  readonly repositories: { readonly frontend: CicdRepository; readonly backend: CicdRepository };
  /** Buckets holding application data, whose objects the plan project must never read. */
  readonly dataBuckets: readonly { readonly arn: string }[];
  /**
   * Stack ids the infrastructure pipeline plans and applies, in dependency order. The cicd stack is
   * not among them: it holds the pipeline's own roles, so an operator applies it (README).
   */
  readonly pipelineStacks: readonly string[];
}

/** CodeBuild's Ubuntu image with the Node 20 runtime, docker and the AWS CLI. */
const X86_IMAGE = 'aws/codebuild/standard:7.0';
const ARM_IMAGE = 'aws/codebuild/amazonlinux-aarch64-standard:3.0';

/** Paths whose change starts the infrastructure pipeline (the infra app and what it bundles). */
const INFRA_PATHS = ['apps/infra/**', 'apps/ai-workers/**', 'packages/**', 'package.json', 'pnpm-lock.yaml'];

/**
 * `bandup-<env>-cicd`: the GitHub connection and two pipelines.
 *
 * - infrastructure: Source -> Plan (synth + `terraform plan -out` per stack) -> manual Approve
 *   -> Apply (exactly the saved plans);
 * - images: Source -> Build (frontend and backend images, tagged with the commit SHA, pushed to the
 *   app stack's repositories). Deploying an image is a GitOps change: bump `ecs.<app>.imageTag` in
 *   the environment config and let the infrastructure pipeline plan and apply it. The image build
 *   never updates ECS itself, because a service changed behind Terraform's back would be reverted
 *   (or fought over) by the next apply, and the release would escape the plan review.
 *
 * The connection is created PENDING: an operator completes the GitHub handshake once in the console
 * (apps/infra/README.md, "CI/CD"). Until then the pipelines' source stage fails.
 */
export class CicdStack extends EnvironmentStack {
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
  readonly connection: CodestarconnectionsConnection;
  readonly approvalTopic: SnsTopic;
  readonly projects: {
    readonly plan: BuildProject;
    readonly apply: BuildProject;
    readonly images: BuildProject;
  };
  readonly pipelines: { readonly infra: Codepipeline; readonly images: Codepipeline };

  constructor(scope: Construct, props: CicdStackProps) {
    super(scope, 'cicd', props);
    const { config } = props;
    const { accountId, region } = config;
    const cicdPrefix = this.resourceName('cicd-');
    if (props.pipelineStacks.length === 0)
      throw new Error('CicdStack: pipelineStacks must name at least one stack');
    for (const stack of props.pipelineStacks) {
      if (!stack.startsWith(`bandup-${config.name}-`) || stack === this.node.id) {
        throw new Error(`CicdStack: pipelineStacks entry "${stack}" is not another stack of ${config.name}`);
      }
    }

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

    this.connection = new CodestarconnectionsConnection(this, 'github', {
      name: this.resourceName('github'),
      providerType: 'GitHub',
    });

    const common = {
      accountId,
      region,
      key: this.key,
      artifacts: this.artifacts,
      logRetentionDays: config.observability.logRetentionDays,
    };
    const terraformEnv = {
      BANDUP_ENV: config.name,
      STACKS: props.pipelineStacks.join(' '),
      TERRAFORM_VERSION: config.cicd.terraformVersion,
      TERRAFORM_ARCH: 'amd64',
    };
    const platform = {
      accountId,
      region,
      environment: config.name,
      cicdPrefix,
      dataBucketArns: props.dataBuckets.map((b) => b.arn),
    };

    const plan = new BuildProject(this, 'plan', {
      ...common,
      name: this.resourceName('cicd-plan'),
      description: `Bandup ${config.name}: synthesize and terraform plan every stack (read-only)`,
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

    const arch = imageArchitecture(config);
    const { frontend, backend } = props.repositories;
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
        FRONTEND_REPOSITORY_URI: frontend.repository.repositoryUrl,
        FRONTEND_CONTEXT: config.cicd.images.frontend.context,
        FRONTEND_DOCKERFILE: config.cicd.images.frontend.dockerfile,
        BACKEND_REPOSITORY_URI: backend.repository.repositoryUrl,
        BACKEND_CONTEXT: config.cicd.images.backend.context,
        BACKEND_DOCKERFILE: config.cicd.images.backend.dockerfile,
      },
      timeoutMinutes: 60,
    });
    for (const repository of [frontend, backend]) {
      repository.grantPush(images);
    }
    // Skip a revision already pushed (immutable tags) instead of failing on the push.
    images.addToPolicy({ actions: ['ecr:DescribeImages'], resources: [frontend.arn, backend.arn] });
    this.projects = { plan, apply, images };

    this.approvalTopic = new SnsTopic(this, 'approvals', {
      name: this.resourceName('cicd-approvals'),
      kmsMasterKeyId: this.key.arn,
    });
    new SnsTopicPolicy(this, 'approvals-policy', {
      arn: this.approvalTopic.arn,
      policy: renderPolicy([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: '*',
          actions: ['sns:Publish'],
          resources: [this.approvalTopic.arn],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });
    new SnsTopicSubscription(this, 'approvals-email', {
      topicArn: this.approvalTopic.arn,
      protocol: 'email',
      endpoint: config.observability.alarmEmail,
    });

    const infraRole = this.pipelineRole('infra-pipeline-role', 'infra', [plan, apply]);
    infraRole.addToPolicy({ actions: ['sns:Publish'], resources: [this.approvalTopic.arn] });
    const imagesRole = this.pipelineRole('images-pipeline-role', 'images', [images]);

    const source = this.sourceStage(config.cicd.repository, config.cicd.branch);
    this.pipelines = {
      infra: new Codepipeline(this, 'infra-pipeline', {
        name: this.resourceName('cicd-infra'),
        pipelineType: 'V2',
        // One execution at a time, start to finish: a plan is applied against the state it was made
        // from (a superseded or parallel run would leave a stale plan, which Terraform refuses).
        executionMode: 'QUEUED',
        roleArn: infraRole.arn,
        artifactStore: [this.artifactStore()],
        variable: [
          {
            name: 'STACKS',
            defaultValue: props.pipelineStacks.join(' '),
            description: 'Stacks to plan and apply, in dependency order (narrow it for a producer-first run)',
          },
        ],
        trigger: [this.pushTrigger(INFRA_PATHS, config.cicd.branch)],
        stage: [
          source,
          {
            name: 'Plan',
            action: [
              {
                name: 'Plan',
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
                inputArtifacts: ['source'],
                outputArtifacts: ['plan'],
                configuration: {
                  ProjectName: plan.name,
                  EnvironmentVariables: JSON.stringify([
                    { name: 'STACKS', value: '#{variables.STACKS}', type: 'PLAINTEXT' },
                  ]),
                },
              },
            ],
          },
          {
            name: 'Approve',
            action: [
              {
                name: 'Approve',
                category: 'Approval',
                owner: 'AWS',
                provider: 'Manual',
                version: '1',
                configuration: {
                  NotificationArn: this.approvalTopic.arn,
                  CustomData: `Review plans/summary.txt and plans/<stack>.txt of the Plan artifact (${config.name}) before approving: Apply runs exactly these saved plans.`,
                },
              },
            ],
          },
          {
            name: 'Apply',
            action: [
              {
                name: 'Apply',
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
                inputArtifacts: ['plan'],
                configuration: { ProjectName: apply.name },
              },
            ],
          },
        ],
      }),
      images: new Codepipeline(this, 'images-pipeline', {
        name: this.resourceName('cicd-images'),
        pipelineType: 'V2',
        executionMode: 'QUEUED',
        roleArn: imagesRole.arn,
        artifactStore: [this.artifactStore()],
        trigger: [
          this.pushTrigger(
            [config.cicd.images.frontend.context, config.cicd.images.backend.context].map((c) => `${c}/**`),
            config.cicd.images.branch,
          ),
        ],
        stage: [
          // The images come from the application repository, not from this infrastructure monorepo.
          this.sourceStage(config.cicd.images.repository, config.cicd.images.branch),
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
    };

    new TerraformOutput(this, 'github-connection-arn', {
      value: this.connection.arn,
      description:
        'Complete the GitHub handshake of this PENDING connection once in the console (README: CI/CD)',
    });
    new TerraformOutput(this, 'infra-pipeline-name', { value: this.pipelines.infra.name });
    new TerraformOutput(this, 'images-pipeline-name', { value: this.pipelines.images.name });
  }

  /** A pipeline's own role: its projects, the artifact store, the connection, nothing else. */
  private pipelineRole(id: string, purpose: string, projects: readonly BuildProject[]): ServiceRole {
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
      resources: [this.connection.arn],
    });
    return role;
  }

  private sourceStage(repository: string, branch: string): CodepipelineStage {
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
            ConnectionArn: this.connection.arn,
            FullRepositoryId: repository,
            BranchName: branch,
            OutputArtifactFormat: 'CODE_ZIP',
            // Runs start from the pipeline's push trigger (with path filters) instead.
            DetectChanges: 'false',
          },
        },
      ],
    };
  }

  private pushTrigger(filePaths: readonly string[], branch: string) {
    return {
      providerType: 'CodeStarSourceConnection',
      gitConfiguration: {
        sourceActionName: 'Source',
        push: [{ branches: { includes: [branch] }, filePaths: { includes: [...filePaths] } }],
      },
    };
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
