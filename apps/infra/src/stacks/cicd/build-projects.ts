import type { Construct } from 'constructs';
import { type EnvironmentConfig, environmentSchema } from '../../config/schema.js';
import type { SecureBucket } from '../../constructs/data/secure-bucket.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import { BuildProject } from './build-project.js';
import { applyBuildspec } from './buildspecs/apply.js';
import { imagesBuildspec } from './buildspecs/images.js';
import { planBuildspec } from './buildspecs/plan.js';
import {
  grantApply,
  grantPlan,
  type PlatformScope,
  POWER_USER_ACCESS,
  READ_ONLY_ACCESS,
} from './platform-permissions.js';

/** CodeBuild's Ubuntu image with the Node 20 runtime, docker and the AWS CLI. */
export const X86_IMAGE = 'aws/codebuild/standard:7.0';
const ARM_IMAGE = 'aws/codebuild/amazonlinux-aarch64-standard:3.0';

export interface BuildProjectsProps {
  readonly config: EnvironmentConfig;
  readonly name: (suffix: string) => string;
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
  /** Ids of the stacks the plan project plans (`STACKS`). */
  readonly stackIds: readonly string[];
  /** Buckets holding application data, whose objects the plan projects must never read. */
  readonly dataBucketNames: readonly string[];
  readonly alarmTopic: { readonly name: string; readonly keyAlias: string };
  readonly repositoryNames: { readonly frontend: string; readonly backend: string };
}

/**
 * The pipelines' CodeBuild projects, each with its own role: plan (read-only, never data), apply
 * (the approved saved plans), drift (plan's permissions plus notifying the alarm topic) and images
 * (pushes to the two app repositories, the only privileged one).
 */
export class BuildProjects extends FlatConstruct {
  readonly plan: BuildProject;
  readonly apply: BuildProject;
  readonly drift: BuildProject;
  readonly images: BuildProject;
  private readonly props: BuildProjectsProps;

  constructor(scope: Construct, id: string, props: BuildProjectsProps) {
    super(scope, id);
    this.props = props;
    const { config } = props;
    const platform: PlatformScope = {
      accountId: config.accountId,
      region: config.region,
      environment: config.name,
      cicdPrefix: props.name('cicd-'),
      dataBucketArns: props.dataBucketNames.map((name) => `arn:aws:s3:::${name}`),
      otherEnvironments: environmentSchema.shape.name.options.filter((name) => name !== config.name),
    };
    this.plan = this.terraformProject('plan', {
      description: 'synthesize, terraform plan and review a wave of stacks (read-only)',
      buildspec: planBuildspec(),
      computeType: 'BUILD_GENERAL1_MEDIUM',
      environmentVariables: this.planEnvironment(),
      timeoutMinutes: 60,
      managedPolicyArns: [READ_ONLY_ACCESS],
    });
    grantPlan(this.plan, platform);
    this.apply = this.terraformProject('apply', {
      description: 'terraform apply of the approved saved plans',
      buildspec: applyBuildspec(),
      computeType: 'BUILD_GENERAL1_SMALL',
      environmentVariables: {
        BANDUP_ENV: config.name,
        TERRAFORM_VERSION: config.cicd.terraformVersion,
        TERRAFORM_ARCH: 'amd64',
      },
      // Creating a Multi-AZ database or cache cluster alone can take 40 minutes.
      timeoutMinutes: 180,
      managedPolicyArns: [POWER_USER_ACCESS],
    });
    grantApply(this.apply, platform);
    this.drift = this.driftProject(platform);
    this.images = this.imagesProject();
  }

  private common() {
    const { config } = this.props;
    return {
      accountId: config.accountId,
      region: config.region,
      key: this.props.key,
      artifacts: this.props.artifacts,
      logRetentionDays: config.observability.logRetentionDays,
    };
  }

  /** A project running Terraform on the x86 image, unprivileged. */
  private terraformProject(
    purpose: 'plan' | 'apply' | 'drift',
    props: Pick<
      ConstructorParameters<typeof BuildProject>[2],
      'buildspec' | 'computeType' | 'environmentVariables' | 'timeoutMinutes' | 'managedPolicyArns'
    > & { readonly description: string },
  ): BuildProject {
    return new BuildProject(this, purpose, {
      ...this.common(),
      ...props,
      name: this.props.name(`cicd-${purpose}`),
      description: `Bandup ${this.props.config.name}: ${props.description}`,
      image: X86_IMAGE,
      environmentType: 'LINUX_CONTAINER',
      privilegedMode: false,
    });
  }

  private planEnvironment(): Record<string, string> {
    const { config } = this.props;
    return {
      BANDUP_ENV: config.name,
      STACKS: this.props.stackIds.join(' '),
      MODE: 'plan',
      ARTIFACT_BUCKET: this.props.artifacts.name,
      TERRAFORM_VERSION: config.cicd.terraformVersion,
      TERRAFORM_ARCH: 'amd64',
    };
  }

  /** Drift: the plan project's permissions (read-only), plus notifying the alarm topic. */
  private driftProject(platform: PlatformScope): BuildProject {
    const { accountId, region } = this.props.config;
    const alarmTopicArn = `arn:aws:sns:${region}:${accountId}:${this.props.alarmTopic.name}`;
    const drift = this.terraformProject('drift', {
      description: 'scheduled plan of every stack with refresh (drift check)',
      buildspec: planBuildspec(),
      computeType: 'BUILD_GENERAL1_MEDIUM',
      environmentVariables: {
        ...this.planEnvironment(),
        MODE: 'drift',
        WAVE: 'drift',
        ALARM_TOPIC_ARN: alarmTopicArn,
      },
      timeoutMinutes: 60,
      managedPolicyArns: [READ_ONLY_ACCESS],
    });
    grantPlan(drift, platform);
    drift.addToPolicy({ actions: ['sns:Publish'], resources: [alarmTopicArn] });
    drift.addToPolicy({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [`arn:aws:kms:${region}:${accountId}:key/*`],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [this.props.alarmTopic.keyAlias] },
        StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` },
      },
    });
    return drift;
  }

  private imagesProject(): BuildProject {
    const { config, repositoryNames } = this.props;
    const { accountId, region } = config;
    const arch = imageArchitecture(config);
    const repositoryUri = (name: string) => `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`;
    const images = new BuildProject(this, 'images', {
      ...this.common(),
      name: this.props.name('cicd-images'),
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
        FRONTEND_REPOSITORY_URI: repositoryUri(repositoryNames.frontend),
        FRONTEND_CONTEXT: config.cicd.images.frontend.context,
        FRONTEND_DOCKERFILE: config.cicd.images.frontend.dockerfile,
        BACKEND_REPOSITORY_URI: repositoryUri(repositoryNames.backend),
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
      resources: [repositoryNames.frontend, repositoryNames.backend].map(
        (name) => `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
      ),
    });
    // The registry login token is account-wide: the action has no resource-level permissions.
    images.addToPolicy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
    return images;
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
