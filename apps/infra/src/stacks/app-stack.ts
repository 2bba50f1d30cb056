import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/index.js';
import { ActivePassiveFailover } from '../constructs/active-passive-failover.js';
import { ContainerRepository } from '../constructs/container-repository.js';
import { standbyRange } from '../constructs/failover-headroom.js';
import { FargateCluster } from '../constructs/fargate-cluster.js';
import { FargateService, type ServiceConnectRole } from '../constructs/fargate-service.js';
import {
  type ContainerSecret,
  type DecryptableKey,
  FargateTaskDefinition,
} from '../constructs/fargate-task-definition.js';
import { HttpsLoadBalancer, TARGET_HEALTH_CHECK } from '../constructs/https-load-balancer.js';
import type { Grantee } from '../constructs/iam/policy-document.js';
import { EncryptionKey } from '../constructs/kms-key.js';
import { AlarmTopic } from '../constructs/observability/alarm-topic.js';
import { EncryptedLogGroup } from '../constructs/observability/log-group.js';
import {
  EcsServiceAlarms,
  LoadBalancerAlarms,
  TargetGroupAlarms,
} from '../constructs/observability/service-alarms.js';
import { RollingRestart } from '../constructs/rolling-restart.js';
import { WafWebAcl } from '../constructs/waf-web-acl.js';
import { backendSecretBindings } from './app-backend-environment.js';
import { ALB_LOG_PREFIX } from './data-stack.js';
import type { DeploymentMode } from './deployment-mode.js';
import { EnvironmentStack } from './environment-stack.js';

/** What the app stack needs from the network stack (the tier security groups and their rules live there). */
export interface AppNetworkInputs {
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

export const APPS = ['frontend', 'backend'] as const;
export type AppName = (typeof APPS)[number];

/** The ECS services of one app: `primary` + `standby` (active-passive) or `primary` alone (active-active). */
export interface AppServices {
  readonly primary: FargateService;
  readonly standby?: FargateService;
  readonly failover?: ActivePassiveFailover;
}

/** Service Connect names: the backend publishes `backend:8080`; the standby cell its own name. */
const BACKEND_DNS = { primary: 'backend', standby: 'backend-standby' } as const;

/** ALB idle timeout: STOMP-over-WebSocket sessions (`/ws`) stay open between messages for up to an hour. */
const ALB_IDLE_TIMEOUT_SECONDS = 3600;

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

  constructor(scope: Construct, props: AppStackProps) {
    super(scope, 'app', props);
    const { config, network, data } = props;
    const { accountId, region } = config;
    const ecs = config.ecs;
    const activePassive = ecs.mode === 'active-passive';
    const execOn = ecs.enableExecuteCommand;
    checkInputs(config, network);

    // ECR image layers and the alarm topic. CloudWatch encrypts alarm notifications with it directly.
    this.appKey = new EncryptionKey(this, 'app-key', {
      accountId,
      region,
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

    const logGroup = (id: string, name: string) =>
      new EncryptedLogGroup(this, id, {
        name: `/bandup/${config.name}/ecs/${name}`,
        retentionInDays: config.observability.logRetentionDays,
        kmsKey: data.keys.logs,
      });
    this.logGroups = {
      frontend: logGroup('frontend-logs', 'frontend'),
      backend: logGroup('backend-logs', 'backend'),
    };

    if (execOn) {
      // The SSM agent inside the task and the operator's CLI call KMS themselves (not through a
      // service), so the key delegates these two actions to IAM: only principals granted them in
      // IAM (the task roles, via grantExecuteCommand, and operators) can open a session.
      this.execKey = new EncryptionKey(this, 'exec-key', {
        accountId,
        region,
        alias: this.resourceName('ecs-exec'),
        description: `Bandup ${config.name}: ECS Exec session channel`,
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

    this.repositories = {
      frontend: this.repository('frontend'),
      backend: this.repository('backend'),
    };

    this.cluster = new FargateCluster(this, 'cluster', {
      name: this.resourceName('cluster'),
      serviceConnectNamespace: ecs.serviceConnectNamespace,
      fargateSpot: ecs.fargateSpot,
      executeCommand: this.execKey
        ? { key: this.execKey, logGroup: logGroup('exec-logs', 'exec') }
        : undefined,
    });

    // Edge: ALB, certificate, DNS, target groups, path rules, WAF.
    this.loadBalancer = new HttpsLoadBalancer(this, 'alb', {
      name: this.resourceName('alb'),
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.public,
      securityGroupIds: [network.securityGroups.alb.id],
      // The data stack's log delivery policy admits exactly this prefix.
      accessLogs: { bucket: data.buckets.albLogs.name, prefix: ALB_LOG_PREFIX },
      deletionProtection: config.protectStatefulResources,
      idleTimeoutSeconds: ALB_IDLE_TIMEOUT_SECONDS,
      domainName: config.dns.domainName,
      hostedZoneId: config.dns.hostedZoneId,
      defaultTarget: {
        name: this.resourceName('frontend'),
        port: ecs.frontend.containerPort,
        healthCheckPath: ecs.frontend.healthCheckPath,
      },
    });
    const backendSticky = backendStickiness(config);
    if (!backendSticky.enabled && backendSticky.severalTasks) {
      Annotations.of(this).addWarning(
        `App stack ${config.name}: ecs.backendStickiness.enabled is false but the backend can run several tasks; ` +
          "STOMP over SockJS fallbacks (/ws) break when a session's requests reach different tasks",
      );
    }
    const backendTargetGroup = this.loadBalancer.addTargetGroup('backend-target-group', {
      name: this.resourceName('backend'),
      port: ecs.backend.containerPort,
      healthCheckPath: ecs.backend.healthCheckPath,
      // Spring Boot Actuator answers 503 when DOWN: only 200 is healthy.
      healthCheckMatcher: '200',
      ...(backendSticky.enabled ? { stickyForSeconds: ecs.backendStickiness.durationSeconds } : {}),
    });
    this.targetGroups = { frontend: this.loadBalancer.defaultTargetGroup, backend: backendTargetGroup };
    const apiRule = this.loadBalancer.addPathRule('api-rule', 10, ['/api/*'], backendTargetGroup);
    const wsRule = this.loadBalancer.addPathRule('websocket-rule', 20, ['/ws*'], backendTargetGroup);

    this.webAcl = new WafWebAcl(this, 'waf', {
      name: this.resourceName('alb'),
      description: `Bandup ${config.name}: web ACL of the public load balancer`,
      accountId,
      region,
      rateLimitPer5Minutes: config.waf.rateLimitPer5Minutes,
      logRetentionDays: config.observability.logRetentionDays,
      logKey: data.keys.logs,
      // The common rule set blocks bodies over 8 KB; blog posts (rich HTML) and long essays posted to
      // the backend exceed it legitimately. The rule still counts (and logs) them; the backend
      // enforces its own request size limits.
      countOnlyRules: { AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] },
      // XSS, SQLi and LFI body rules never block free-text routes (essays, rich-text posts); count
      // mode (config.waf.bodyRulesMode) rolls them out on other routes without blocking.
      bodyRules: { mode: config.waf.bodyRulesMode, freeTextPathPrefixes: config.waf.freeTextPathPrefixes },
    });
    this.webAcl.associate(this.loadBalancer.arn, 'alb-association');

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: this.resourceName('app-alarms'),
      accountId,
      key: this.appKey,
      email: config.observability.alarmEmail,
    });

    // Task definitions.
    const backendTask = this.backendTaskDefinition(props);
    const frontendTask = (variant: 'primary' | 'standby', shareRolesWith?: FargateTaskDefinition) =>
      new FargateTaskDefinition(this, variant === 'primary' ? 'frontend-task' : 'frontend-standby-task', {
        ...this.commonTaskProps('frontend'),
        family: variant === 'primary' ? this.resourceName('frontend') : this.resourceName('frontend-standby'),
        environment: {
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          PORT: String(ecs.frontend.containerPort),
          HOSTNAME: '0.0.0.0',
          // Server-side calls go to the backend of the same AZ cell through Service Connect;
          // browsers reach the backend through the ALB (`/api`, `/ws`).
          BACKEND_URL: `http://${BACKEND_DNS[variant]}:${ecs.backend.containerPort}`,
          API_URL: `http://${BACKEND_DNS[variant]}:${ecs.backend.containerPort}/api`,
          PUBLIC_SITE_URL: `https://${config.dns.domainName}`,
          // The browser's STOMP endpoint: the ALB's `/ws*` rule forwards it to the backend. Next.js
          // inlines NEXT_PUBLIC_* into client bundles at build time: the frontend must read it at
          // runtime on the server (and hand it to the client), or the image build must get it too.
          NEXT_PUBLIC_WS_URL: `wss://${config.dns.domainName}/ws`,
        },
        secrets: [],
        secretKeys: [],
        // Image assumption: the Next.js standalone image has a `node`-compatible runtime
        // (node, or bun, which answers to `node` too) with a global fetch. No shell or curl needed.
        healthCheck: {
          command: [
            'CMD',
            'node',
            '-e',
            `fetch('http://127.0.0.1:${ecs.frontend.containerPort}${ecs.frontend.healthCheckPath}')` +
              '.then((r)=>process.exit(r.status<500?0:1),()=>process.exit(1))',
          ],
          startPeriodSeconds: Math.min(ecs.frontend.healthCheckGracePeriodSeconds, 300),
        },
        // The frontend calls no AWS API: without ECS Exec it needs no task role (no credentials).
        withTaskRole: execOn,
        shareRolesWith,
      });
    const frontendPrimaryTask = frontendTask('primary');
    const frontendStandbyTask = activePassive ? frontendTask('standby', frontendPrimaryTask) : undefined;
    this.taskDefinitions = { frontend: frontendPrimaryTask, backend: backendTask };
    for (const td of [frontendPrimaryTask, backendTask]) {
      if (td.taskRole) this.cluster.grantExecuteCommand(td.taskRole);
    }

    // Services.
    const attachedToAlb = [this.loadBalancer.httpsListener, apiRule, wsRule];
    const securityGroup = {
      frontend: network.securityGroups.frontend.id,
      backend: network.securityGroups.backend.id,
    };
    const serviceConnect = (app: AppName, variant: 'primary' | 'standby'): ServiceConnectRole =>
      app === 'backend'
        ? {
            kind: 'server',
            discoveryName: BACKEND_DNS[variant],
            dnsName: BACKEND_DNS[variant],
            port: ecs.backend.containerPort,
          }
        : { kind: 'client' };
    const services = {} as Record<AppName, AppServices>;
    for (const app of APPS) {
      const svc = ecs[app];
      const common = {
        cluster: this.cluster,
        securityGroupIds: [securityGroup[app]],
        targetGroupArn: this.targetGroups[app].arn,
        healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
        // Replace tasks before stopping old ones: capacity never dips during a deployment (which
        // would also look like a primary failure to the failover alarm).
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        proxyLogGroup: this.logGroups[app],
        region,
        enableExecuteCommand: execOn,
        dependsOn: attachedToAlb,
      };
      const targetTracking = { cpuPercent: svc.cpuTargetPercent, memoryPercent: svc.memoryTargetPercent };
      if (activePassive) {
        const primary = new FargateService(this, `${app}-primary`, {
          ...common,
          name: `${app}-primary`,
          taskDefinition: this.taskDefinitions[app],
          subnetIds: [network.subnetIds.app[0] as string],
          desiredCount: svc.desiredCount,
          minCount: svc.minCount,
          maxCount: svc.maxCount,
          targetTracking,
          interruptible: false,
          availabilityZoneRebalancing: false,
          serviceConnect: serviceConnect(app, 'primary'),
        });
        const range = standbyRange(svc, svc.standbyWarmCount);
        const standby = new FargateService(this, `${app}-standby`, {
          ...common,
          name: `${app}-standby`,
          taskDefinition: app === 'frontend' ? (frontendStandbyTask as FargateTaskDefinition) : backendTask,
          subnetIds: [network.subnetIds.app[1] as string],
          desiredCount: svc.standbyWarmCount,
          // Step policies move it between the warm count and the primary's maximum, nothing else.
          minCount: range.min,
          maxCount: range.max,
          interruptible: true,
          availabilityZoneRebalancing: false,
          serviceConnect: serviceConnect(app, 'standby'),
        });
        const failover = new ActivePassiveFailover(this, `${app}-failover`, {
          name: this.resourceName(app),
          standby: standby.scalableTarget,
          primaryAvailabilityZone: config.availabilityZones[0] as string,
          primaryMinimumHealthy: svc.minCount,
          replacement: {
            unhealthySeconds: TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.unhealthyThreshold,
            graceSeconds: svc.healthCheckGracePeriodSeconds,
            healthySeconds: TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.healthyThreshold,
          },
          failoverCount: range.failoverCount,
          warmCount: svc.standbyWarmCount,
          targetGroupArnSuffix: this.targetGroups[app].arnSuffix,
          loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
          notificationTopicArn: this.alarmTopic.arn,
        });
        services[app] = { primary, standby, failover };
      } else {
        const primary = new FargateService(this, `${app}-service`, {
          ...common,
          name: app,
          taskDefinition: this.taskDefinitions[app],
          subnetIds: network.subnetIds.app,
          desiredCount: svc.desiredCount,
          minCount: svc.minCount,
          maxCount: svc.maxCount,
          targetTracking,
          interruptible: true,
          availabilityZoneRebalancing: true,
          serviceConnect: serviceConnect(app, 'primary'),
        });
        services[app] = { primary };
      }
    }
    this.services = services;

    // ECS reads secrets only at task start: restart the backend after each credential rotation.
    this.backendRestart = new RollingRestart(this, 'backend-restart', {
      name: this.resourceName('backend-restart'),
      accountId,
      cluster: { arn: this.cluster.arn, name: this.cluster.name },
      serviceArns: [services.backend.primary, services.backend.standby].flatMap((s) =>
        s ? [s.service.id] : [],
      ),
      secretArns: [data.database.appCredentialsSecretArn, data.cache.authTokenSecretArn],
      environmentKey: data.keys.data,
      logsKey: data.keys.logs,
      logRetentionDays: config.observability.logRetentionDays,
    });

    // Alarms: edge 5xx, per target group, per service.
    new TargetGroupAlarms(this, 'frontend-target-alarms', {
      name: this.resourceName('frontend'),
      targetGroupArnSuffix: this.targetGroups.frontend.arnSuffix,
      loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
      topicArn: this.alarmTopic.arn,
    });
    new TargetGroupAlarms(this, 'backend-target-alarms', {
      name: this.resourceName('backend'),
      targetGroupArnSuffix: this.targetGroups.backend.arnSuffix,
      loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
      topicArn: this.alarmTopic.arn,
    });
    new LoadBalancerAlarms(this, 'alb-alarms', {
      name: this.resourceName('alb'),
      loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
      topicArn: this.alarmTopic.arn,
    });
    for (const app of APPS) {
      for (const service of [services[app].primary, services[app].standby]) {
        if (!service) continue;
        new EcsServiceAlarms(this, `${service.name}-alarms`, {
          name: this.resourceName(service.name),
          clusterName: this.cluster.name,
          serviceName: service.service.name,
          topicArn: this.alarmTopic.arn,
        });
      }
    }
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

  private commonTaskProps(app: AppName) {
    const svc = this.config.ecs[app];
    return {
      accountId: this.config.accountId,
      region: this.config.region,
      cpu: svc.cpu,
      memoryMib: svc.memoryMib,
      cpuArchitecture: svc.cpuArchitecture,
      repository: this.repositories[app],
      imageTag: svc.imageTag,
      containerName: app,
      containerPort: svc.containerPort,
      portName: 'http',
      user: svc.user,
      readonlyRootFilesystem: svc.readonlyRootFilesystem,
      logGroup: this.logGroups[app],
      executeCommandEnabled: this.config.ecs.enableExecuteCommand,
    };
  }

  private backendTaskDefinition(props: AppStackProps): FargateTaskDefinition {
    const { config, data, ai } = props;
    const svc = config.ecs.backend;
    const db = data.database;
    const bindings = backendSecretBindings(Object.keys(data.secrets.backend));
    const secrets: ContainerSecret[] = [
      // The backend's least-privilege login; a rolling restart follows each rotation (see below).
      { name: 'SPRING_DATASOURCE_USERNAME', secretArn: db.appCredentialsSecretArn, jsonKey: 'username' },
      { name: 'SPRING_DATASOURCE_PASSWORD', secretArn: db.appCredentialsSecretArn, jsonKey: 'password' },
      { name: 'SPRING_DATA_REDIS_PASSWORD', secretArn: data.cache.authTokenSecretArn },
      { name: 'AI_API_KEY', secretArn: ai.apiKeySecretArn },
      ...bindings.map((b) => ({
        name: b.env,
        secretArn: (data.secrets.backend[b.secret] as { arn: string }).arn,
        jsonKey: b.jsonKey,
      })),
    ];
    const task = new FargateTaskDefinition(this, 'backend-task', {
      ...this.commonTaskProps('backend'),
      family: this.resourceName('backend'),
      environment: {
        SPRING_PROFILES_ACTIVE: config.name,
        SERVER_PORT: String(svc.containerPort),
        DB_HOST: db.address,
        DB_PORT: String(db.port),
        DB_NAME: db.name,
        // TLS to PostgreSQL (the server forces it).
        SPRING_DATASOURCE_URL: `jdbc:postgresql://${db.address}:${db.port}/${db.name}?sslmode=require`,
        SPRING_DATA_REDIS_HOST: data.cache.primaryEndpoint,
        SPRING_DATA_REDIS_PORT: String(data.cache.port),
        SPRING_DATA_REDIS_SSL_ENABLED: 'true',
        AI_API_URL: ai.api.invokeUrl,
        AWS_REGION: config.region,
        AWS_S3_BUCKET: data.buckets.media.name,
        // Signed with the key pair in the `cloudfront` secret; CloudFront trusts its public half.
        CLOUDFRONT_DOMAIN: data.mediaCdn.domainName,
        FRONTEND_URL: `https://${config.dns.domainName}`,
        CORS_FRONTEND_ORIGIN: `https://${config.dns.domainName}`,
        // Completion events of AI jobs (docs/ai-stack.md, "Completion events").
        AI_JOB_EVENTS_QUEUE_URL: ai.jobEventsQueueUrl,
        // Mail: SMTP submission with STARTTLS required (no plaintext fallback); the security group
        // opens only this port, through NAT. Username and password come from the `mail` secret.
        SPRING_MAIL_HOST: config.mail.smtpHost,
        SPRING_MAIL_PORT: String(config.mail.smtpPort),
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_AUTH: 'true',
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_ENABLE: 'true',
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_REQUIRED: 'true',
      },
      secrets,
      secretKeys: [data.keys.secrets],
      // Image assumption: the backend image ships curl and Spring Boot Actuator (the original had no
      // health endpoint; spring-boot-starter-actuator must be added) on the configured path.
      healthCheck: {
        command: [
          'CMD-SHELL',
          `curl -fsS http://127.0.0.1:${svc.containerPort}${svc.healthCheckPath} || exit 1`,
        ],
        startPeriodSeconds: Math.min(svc.healthCheckGracePeriodSeconds, 300),
      },
      withTaskRole: true,
      // Spring Boot graceful shutdown drains in-flight requests after SIGTERM.
      stopTimeoutSeconds: 60,
    });
    const taskRole = task.taskRole as NonNullable<typeof task.taskRole>;
    ai.grantInvokeApi(taskRole);
    ai.grantReceiveJobEvents(taskRole);
    data.buckets.media.grantReadWrite(taskRole);
    data.keys.data.grantEncryptDecrypt(taskRole);
    return task;
  }
}

/**
 * Whether the backend target group is sticky: as configured, or (`auto`) whenever the backend can
 * run more than one task: autoscaling beyond one task, or active-passive, where the primary and
 * the standby register in the same target group.
 */
export function backendStickiness(config: EnvironmentConfig): { enabled: boolean; severalTasks: boolean } {
  const backend = config.ecs.backend;
  const severalTasks = backend.maxCount > 1 || config.ecs.mode === 'active-passive';
  const setting = config.ecs.backendStickiness.enabled;
  return { enabled: setting === 'auto' ? severalTasks : setting, severalTasks };
}

function checkInputs(config: EnvironmentConfig, network: AppNetworkInputs): void {
  const azs = config.availabilityZones.length;
  if (config.ecs.mode === 'active-passive' && network.subnetIds.app.length < 2) {
    throw new Error(
      `App stack ${config.name}: ecs.mode active-passive needs two app subnets, the network has ${network.subnetIds.app.length}`,
    );
  }
  if (network.subnetIds.public.length < 2) {
    throw new Error(
      `App stack ${config.name}: an ALB needs public subnets in two AZs, the network has ${network.subnetIds.public.length}`,
    );
  }
  if (network.subnetIds.app.length !== azs) {
    throw new Error(`App stack ${config.name}: expected one app subnet per availability zone (${azs})`);
  }
}
