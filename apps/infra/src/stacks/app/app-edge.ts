import type { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule/index.js';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Annotations, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { HttpsLoadBalancer } from '../../constructs/containers/https-load-balancer.js';
import { ALB_LOG_PREFIX } from '../../constructs/data/data-buckets.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { LoadBalancerAlarms } from '../../constructs/observability/service-alarms.js';
import { WafWebAcl } from '../../constructs/security/waf-web-acl.js';
import type { AppName } from './app-names.js';

/** ALB idle timeout: STOMP-over-WebSocket sessions (`/ws`) stay open between messages for up to an hour. */
const ALB_IDLE_TIMEOUT_SECONDS = 3600;

export interface AppEdgeProps {
  readonly config: EnvironmentConfig;
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly albLogsBucket: string;
  /** Encrypts the WAF log group. */
  readonly logsKey: { readonly arn: string };
  readonly alarmTopicArn: string;
}

/**
 * The app's public entrance: the HTTPS load balancer (certificate, DNS, access logs) with a target
 * group per app, `/api/*` and `/ws*` to the backend and everything else to the frontend, its web
 * ACL, and its 5xx alarms.
 */
export class AppEdge extends FlatConstruct {
  readonly loadBalancer: HttpsLoadBalancer;
  readonly targetGroups: Record<AppName, LbTargetGroup>;
  readonly webAcl: WafWebAcl;
  /** The listener and the rules that forward to the target groups. */
  readonly routes: readonly [HttpsLoadBalancer['httpsListener'], LbListenerRule, LbListenerRule];

  constructor(scope: Construct, id: string, props: AppEdgeProps) {
    super(scope, id);
    const { config, resourceName } = props;
    const ecs = config.ecs;
    this.loadBalancer = new HttpsLoadBalancer(this, 'alb', {
      name: resourceName('alb'),
      vpcId: props.vpcId,
      subnetIds: props.publicSubnetIds,
      securityGroupIds: [props.securityGroupId],
      // The data stack's log delivery policy admits exactly this prefix.
      accessLogs: { bucket: props.albLogsBucket, prefix: ALB_LOG_PREFIX },
      deletionProtection: config.protectStatefulResources,
      idleTimeoutSeconds: ALB_IDLE_TIMEOUT_SECONDS,
      domainName: config.dns.domainName,
      hostedZoneId: config.dns.hostedZoneId,
      defaultTarget: {
        name: resourceName('frontend'),
        port: ecs.frontend.containerPort,
        healthCheckPath: ecs.frontend.healthCheckPath,
      },
    });
    const backend = this.backendTargetGroup(props);
    this.targetGroups = { frontend: this.loadBalancer.defaultTargetGroup, backend };
    this.routes = [
      this.loadBalancer.httpsListener,
      this.loadBalancer.addPathRule('api-rule', 10, ['/api/*'], backend),
      this.loadBalancer.addPathRule('websocket-rule', 20, ['/ws*'], backend),
    ];
    this.webAcl = this.webAclOf(props);
    new LoadBalancerAlarms(this, 'alb-alarms', {
      name: resourceName('alb'),
      loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
      topicArn: props.alarmTopicArn,
    });
  }

  private backendTargetGroup({ config, resourceName }: AppEdgeProps): LbTargetGroup {
    const backendSticky = backendStickiness(config);
    if (!backendSticky.enabled && backendSticky.severalTasks) {
      Annotations.of(TerraformStack.of(this)).addWarning(
        `App stack ${config.name}: ecs.backendStickiness.enabled is false but the backend can run several tasks; ` +
          "STOMP over SockJS fallbacks (/ws) break when a session's requests reach different tasks",
      );
    }
    return this.loadBalancer.addTargetGroup('backend-target-group', {
      name: resourceName('backend'),
      port: config.ecs.backend.containerPort,
      healthCheckPath: config.ecs.backend.healthCheckPath,
      // Spring Boot Actuator answers 503 when DOWN: only 200 is healthy.
      healthCheckMatcher: '200',
      ...(backendSticky.enabled ? { stickyForSeconds: config.ecs.backendStickiness.durationSeconds } : {}),
    });
  }

  private webAclOf({ config, resourceName, logsKey }: AppEdgeProps): WafWebAcl {
    const webAcl = new WafWebAcl(this, 'waf', {
      name: resourceName('alb'),
      description: `Bandup ${config.name}: web ACL of the public load balancer`,
      accountId: config.accountId,
      region: config.region,
      rateLimitPer5Minutes: config.waf.rateLimitPer5Minutes,
      logRetentionDays: config.observability.logRetentionDays,
      logKey: logsKey,
      // The common rule set blocks bodies over 8 KB; blog posts (rich HTML) and long essays posted to
      // the backend exceed it legitimately. The rule still counts (and logs) them; the backend
      // enforces its own request size limits.
      countOnlyRules: { AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] },
      // XSS, SQLi and LFI body rules never block free-text routes (essays, rich-text posts); count
      // mode (config.waf.bodyRulesMode) rolls them out on other routes without blocking.
      bodyRules: { mode: config.waf.bodyRulesMode, freeTextPathPrefixes: config.waf.freeTextPathPrefixes },
    });
    webAcl.associate(this.loadBalancer.arn, 'alb-association');
    return webAcl;
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
