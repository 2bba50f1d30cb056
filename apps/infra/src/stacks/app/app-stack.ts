import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import type { ActivePassiveFailover } from '../../constructs/containers/active-passive-failover.js';
import { AppServiceCell, type AppServiceCellProps } from '../../constructs/containers/app-service-cell.js';
import { ContainerRepository } from '../../constructs/containers/container-repository.js';
import { FargateCluster } from '../../constructs/containers/fargate-cluster.js';
import type { FargateService } from '../../constructs/containers/fargate-service.js';
import type {
  DecryptableKey,
  FargateTaskDefinition,
} from '../../constructs/containers/fargate-task-definition.js';
import type { HttpsLoadBalancer } from '../../constructs/containers/https-load-balancer.js';
import { RollingRestart } from '../../constructs/containers/rolling-restart.js';
import { AlarmTopic } from '../../constructs/observability/alarm-topic.js';
import { EncryptedLogGroup } from '../../constructs/observability/log-group.js';
import type { Grantee } from '../../constructs/security/iam/policy-document.js';
import { EncryptionKey } from '../../constructs/security/kms-key.js';
import type { WafWebAcl } from '../../constructs/security/waf-web-acl.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';
import { AppEdge } from './app-edge.js';
import { type AppName, BACKEND_DNS } from './app-names.js';
import type { AppTaskContext } from './app-task-common.js';
import { backendTaskDefinition } from './backend-task-definition.js';
import { frontendTaskDefinition } from './frontend-task-definition.js';

/** What the app stack needs from the network stack (the tier security groups and their rules live there). */
interface AppNetworkInputs {
  readonly vpcId: string;
  readonly subnetIds: { readonly public: readonly string[]; readonly app: readonly string[] };
  readonly securityGroups: {
    readonly alb: { readonly id: string };
    readonly frontend: { readonly id: string };
    readonly backend: { readonly id: string };
  };
}

/** What the app stack needs from the data stack. */
export interface AppDataInputs {
  readonly keys: {
    /** Encrypts the media bucket (and the restart function's environment). */
    readonly data: { readonly arn: string; grantEncryptDecrypt(grantee: Grantee): void };
    /** Admits CloudWatch Logs: every log group of this stack uses it. */
    readonly logs: { readonly arn: string };
    /** Encrypts the Secrets Manager secrets the backend gets injected. */
    readonly secrets: DecryptableKey;
  };
  readonly buckets: {
    readonly media: { readonly name: string; grantReadWrite(grantee: Grantee, prefix?: string): void };
    readonly albLogs: { readonly name: string };
  };
  readonly database: {
    readonly address: string;
    readonly port: string | number;
    readonly name: string;
    /**
     * The backend's own login (JSON `username`, `password`), rotated with alternating users. The
     * master secret is deliberately not part of this contract: no app task can be given it.
     */
    readonly appCredentialsSecretArn: string;
  };
  readonly cache: {
    readonly primaryEndpoint: string;
    readonly port: string | number;
    /** Secret whose whole value is the Valkey AUTH token. */
    readonly authTokenSecretArn: string;
  };
  readonly secrets: { readonly backend: Readonly<Record<string, { readonly arn: string }>> };
  /** CloudFront over the media bucket: the domain the backend signs media URLs for. */
  readonly mediaCdn: { readonly domainName: string };
}

/** What the app stack needs from the AI stack. */
export interface AppAiInputs {
  readonly api: { readonly invokeUrl: string };
  /** Secret whose whole value is the usage-plan API key. */
  readonly apiKeySecretArn: string;
  grantInvokeApi(grantee: Grantee): void;
  /** The backend's SQS FIFO queue of job completion events. */
  readonly jobEventsQueueUrl: string;
  grantReceiveJobEvents(grantee: Grantee): void;
}

export interface AppStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  readonly network: AppNetworkInputs;
  readonly data: AppDataInputs;
  readonly ai: AppAiInputs;
}

/** The ECS services of one app: `primary` + `standby` (active-passive) or `primary` alone (active-active). */
export interface AppServices {
  readonly primary: FargateService;
  readonly standby?: FargateService;
  readonly failover?: ActivePassiveFailover;
}

/**
 * `bandup-<env>-app`: the Bandup frontend (Next.js, 3000) and backend (Spring Boot, 8080) on ECS
 * Fargate behind an HTTPS ALB with WAF. In `active-passive` mode each app runs as a primary service
 * pinned to the first AZ and a warm standby service pinned to the second, both in one target
 * group; CloudWatch alarms and step scaling fail over to the standby (see docs/failover.md).
 */
export class AppStack extends EnvironmentStack {
  readonly appKey: EncryptionKey;
  readonly execKey?: EncryptionKey;
  readonly repositories: Record<AppName, ContainerRepository>;
  readonly logGroups: Record<AppName, EncryptedLogGroup>;
  readonly cluster: FargateCluster;
  readonly loadBalancer: HttpsLoadBalancer;
  readonly targetGroups: Record<AppName, LbTargetGroup>;
  readonly webAcl: WafWebAcl;
  readonly alarmTopic: AlarmTopic;
  readonly taskDefinitions: Record<AppName, FargateTaskDefinition>;
  readonly services: Record<AppName, AppServices>;
  readonly backendRestart: RollingRestart;
  /** Encrypts every log group of the stack (the data stack's logs key). */
  private readonly logsKey: { readonly arn: string };

  constructor(scope: Construct, props: AppStackProps) {
    super(scope, 'app', props);
    const { config, network, data } = props;
    checkInputs(config, network);
    this.logsKey = data.keys.logs;
    this.appKey = this.createAppKey();
    this.logGroups = {
      frontend: this.logGroup('frontend-logs', 'frontend'),
      backend: this.logGroup('backend-logs', 'backend'),
    };
    this.execKey = config.ecs.enableExecuteCommand ? this.createExecKey() : undefined;
    this.repositories = { frontend: this.repository('frontend'), backend: this.repository('backend') };
    this.cluster = new FargateCluster(this, 'cluster', {
      name: this.resourceName('cluster'),
      serviceConnectNamespace: config.ecs.serviceConnectNamespace,
      fargateSpot: config.ecs.fargateSpot,
      executeCommand: this.execKey
        ? { key: this.execKey, logGroup: this.logGroup('exec-logs', 'exec') }
        : undefined,
    });
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: this.resourceName('app-alarms'),
      accountId: config.accountId,
      key: this.appKey,
      email: config.observability.alarmEmail,
    });
    const edge = new AppEdge(this, 'edge', {
      config,
      resourceName: (suffix) => this.resourceName(suffix),
      vpcId: network.vpcId,
      publicSubnetIds: network.subnetIds.public,
      securityGroupId: network.securityGroups.alb.id,
      albLogsBucket: data.buckets.albLogs.name,
      logsKey: data.keys.logs,
      alarmTopicArn: this.alarmTopic.arn,
    });
    this.loadBalancer = edge.loadBalancer;
    this.targetGroups = edge.targetGroups;
    this.webAcl = edge.webAcl;

    const tasks: AppTaskContext = {
      config,
      resourceName: (suffix) => this.resourceName(suffix),
      repositories: this.repositories,
      logGroups: this.logGroups,
    };
    const frontend = this.cell('frontend', edge, props, 'own', (scope, variant, primary) =>
      frontendTaskDefinition(scope, variant, tasks, primary),
    );
    const backend = this.cell('backend', edge, props, 'shared', (scope) =>
      backendTaskDefinition(scope, tasks, data, props.ai),
    );
    this.taskDefinitions = { frontend: frontend.taskDefinition, backend: backend.taskDefinition };
    this.services = { frontend, backend };
    this.backendRestart = this.restartAfterRotation(backend, data);
  }

  /** One app's services behind its target group (with failover in active-passive mode). */
  private cell(
    app: AppName,
    edge: AppEdge,
    { config, network }: AppStackProps,
    standbyTask: AppServiceCellProps['standbyTask'],
    taskDefinition: AppServiceCellProps['taskDefinition'],
  ): AppServiceCell {
    return new AppServiceCell(this, `${app}-cell`, {
      app,
      resourceName: (suffix) => this.resourceName(suffix),
      region: config.region,
      service: config.ecs[app],
      mode: config.ecs.mode,
      subnetIds: network.subnetIds.app,
      availabilityZones: config.availabilityZones,
      securityGroupId: network.securityGroups[app].id,
      cluster: this.cluster,
      taskDefinition,
      standbyTask,
      serviceConnect: (variant) =>
        app === 'backend'
          ? {
              kind: 'server',
              discoveryName: BACKEND_DNS[variant],
              dnsName: BACKEND_DNS[variant],
              port: config.ecs.backend.containerPort,
            }
          : { kind: 'client' },
      targetGroup: edge.targetGroups[app],
      loadBalancerArnSuffix: edge.loadBalancer.loadBalancer.arnSuffix,
      attachedToLoadBalancer: edge.routes,
      proxyLogGroup: this.logGroups[app],
      enableExecuteCommand: config.ecs.enableExecuteCommand,
      alarmTopicArn: this.alarmTopic.arn,
    });
  }

  /** ECS reads secrets only at task start: restart the backend after each credential rotation. */
  private restartAfterRotation(backend: AppServiceCell, data: AppDataInputs): RollingRestart {
    const { config } = this;
    return new RollingRestart(this, 'backend-restart', {
      name: this.resourceName('backend-restart'),
      accountId: config.accountId,
      cluster: { arn: this.cluster.arn, name: this.cluster.name },
      serviceArns: backend.services.map((s) => s.service.id),
      secretArns: [data.database.appCredentialsSecretArn, data.cache.authTokenSecretArn],
      environmentKey: data.keys.data,
      logsKey: data.keys.logs,
      logRetentionDays: config.observability.logRetentionDays,
    });
  }

  /** ECR image layers and the alarm topic. CloudWatch encrypts alarm notifications with it directly. */
  private createAppKey(): EncryptionKey {
    const { config } = this;
    return new EncryptionKey(this, 'app-key', {
      accountId: config.accountId,
      region: config.region,
      alias: this.resourceName('app'),
      description: `Bandup ${config.name}: container images and alarm notifications`,
      viaServices: ['ecr', 'sns'],
      servicePrincipals: [
        // Exactly the statement AWS documents for alarm actions on an encrypted topic: CloudWatch's
        // calls carry no aws:SourceAccount/SourceArn, so a condition on them would silently drop
        // every notification.
        { principal: 'cloudwatch.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] },
      ],
      preventDestroy: config.protectStatefulResources,
    });
  }

  /**
   * The ECS Exec session channel's key. The SSM agent inside the task and the operator's CLI call
   * KMS themselves (not through a service), so the key delegates these two actions to IAM: only
   * principals granted them in IAM (the task roles, via grantExecuteCommand, and operators) can
   * open a session.
   */
  private createExecKey(): EncryptionKey {
    const { accountId, region, name } = this.config;
    return new EncryptionKey(this, 'exec-key', {
      accountId,
      region,
      alias: this.resourceName('ecs-exec'),
      description: `Bandup ${name}: ECS Exec session channel`,
      viaServices: ['ssm'],
      additionalStatements: [
        {
          sid: 'AccountPrincipalsOpenExecSessions',
          principals: { AWS: `arn:aws:iam::${accountId}:root` },
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:CallerAccount': accountId } },
        },
      ],
    });
  }

  private logGroup(id: string, name: string): EncryptedLogGroup {
    return new EncryptedLogGroup(this, id, {
      name: `/bandup/${this.config.name}/ecs/${name}`,
      retentionInDays: this.config.observability.logRetentionDays,
      kmsKey: this.logsKey,
    });
  }

  private repository(app: AppName): ContainerRepository {
    return new ContainerRepository(this, `${app}-repository`, {
      name: this.resourceName(app),
      accountId: this.config.accountId,
      encryptionKey: this.appKey,
      keepOtherTaggedImages: this.config.ecr.keepOtherTaggedImages,
      untaggedExpiryDays: this.config.ecr.untaggedExpiryDays,
      forceDelete: !this.config.protectStatefulResources,
    });
  }
}

/**
 * The network must match the config (the schema checks the config itself: two AZs or more, one
 * subnet per AZ and tier, active-passive only with two AZs).
 */
function checkInputs(config: EnvironmentConfig, network: AppNetworkInputs): void {
  const azs = config.availabilityZones.length;
  if (network.subnetIds.app.length !== azs) {
    throw new Error(`App stack ${config.name}: expected one app subnet per availability zone (${azs})`);
  }
}
