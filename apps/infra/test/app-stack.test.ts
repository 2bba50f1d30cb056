import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentConfig, selectEnvironments } from '../src/config/index.js';
import { FAKE_INVOKE_ARN, type Json, refId, resourcesOf, synthAppWithUpstreamDouble } from './app-fixture.js';

let configs: Record<string, EnvironmentConfig>;
let prod: Json;
let dev: Json;

beforeAll(() => {
  const envs = selectEnvironments(undefined);
  configs = Object.fromEntries(envs.map((e) => [e.name, e]));
  const stacks = synthAppWithUpstreamDouble(envs);
  prod = stacks['bandup-prod-app'] as Json;
  dev = stacks['bandup-dev-app'] as Json;
});

const services = (stack: Json) => resourcesOf(stack, 'aws_ecs_service');
const serviceNamed = (stack: Json, name: string): [string, Json] => {
  const found = Object.entries(services(stack)).find(([, s]) => s.name === name);
  if (!found) throw new Error(`no ECS service named ${name}`);
  return found;
};
const byId = (stack: Json, type: string, id: string | undefined): Json => {
  const found = id ? resourcesOf(stack, type)[id] : undefined;
  if (!found) throw new Error(`no ${type} ${id}`);
  return found;
};
const targetGroupNamed = (stack: Json, name: string): string => {
  // Names carry an 8-character content suffix (replaceable before the old group is destroyed).
  const found = Object.entries(resourcesOf(stack, 'aws_lb_target_group')).find(([, tg]) =>
    new RegExp(`^${name}-[0-9a-f]{8}$`).test(tg.name),
  );
  if (!found) throw new Error(`no target group ${name}`);
  return found[0];
};
/** The scalable target and its step policies of a service, found through `resource_id` references. */
const scalableTargetOf = (stack: Json, serviceId: string): [string, Json] => {
  const found = Object.entries(resourcesOf(stack, 'aws_appautoscaling_target')).find(([, t]) =>
    String(t.resource_id).includes(`aws_ecs_service.${serviceId}.name`),
  );
  if (!found) throw new Error(`no scalable target for ${serviceId}`);
  return found;
};
const containers = (td: Json): Json[] => JSON.parse(td.container_definitions) as Json[];
const container = (td: Json): Json => {
  const [first] = containers(td);
  if (!first) throw new Error(`task definition ${td.family} has no container`);
  return first;
};

describe('app stack, prod (active-passive)', () => {
  it('runs a primary and a standby service per app, pinned to different AZ subnets, in the same target group', () => {
    for (const app of ['frontend', 'backend']) {
      const [, primary] = serviceNamed(prod, `${app}-primary`);
      const [, standby] = serviceNamed(prod, `${app}-standby`);
      const primarySubnets = primary.network_configuration.subnets as string[];
      const standbySubnets = standby.network_configuration.subnets as string[];
      expect(primarySubnets).toHaveLength(1);
      expect(standbySubnets).toHaveLength(1);
      // Cross-stack references to the upstream's app-0 and app-1 subnets (first and second AZ).
      expect(primarySubnets[0]).toMatch(/aws_subnetapp-0/);
      expect(standbySubnets[0]).toMatch(/aws_subnetapp-1/);
      const tg = targetGroupNamed(prod, `bandup-prod-${app}`);
      expect(primary.load_balancer[0].target_group_arn).toBe(`\${aws_lb_target_group.${tg}.arn}`);
      expect(standby.load_balancer[0].target_group_arn).toBe(`\${aws_lb_target_group.${tg}.arn}`);
      expect(primary.desired_count).toBe(configs.prod?.ecs[app as 'frontend'].desiredCount);
      expect(standby.desired_count).toBe(configs.prod?.ecs[app as 'frontend'].standbyWarmCount);
    }
    expect(Object.keys(services(prod))).toHaveLength(4);
  });

  it('fails over: a HealthyHostCount alarm in the primary AZ drives an ExactCapacity step policy on the standby', () => {
    const cfg = configs.prod as EnvironmentConfig;
    for (const app of ['frontend', 'backend'] as const) {
      const [standbyId] = serviceNamed(prod, `${app}-standby`);
      const [targetId, target] = scalableTargetOf(prod, standbyId);
      expect(target.min_capacity).toBe(cfg.ecs[app].standbyWarmCount);
      // Up to the primary's maximum: a failover restores whatever the primary had scaled to.
      expect(target.max_capacity).toBe(cfg.ecs[app].maxCount);

      const alarm = Object.values(resourcesOf(prod, 'aws_cloudwatch_metric_alarm')).find(
        (a) => a.alarm_name === `bandup-prod-${app}-primary-az-unhealthy`,
      ) as Json;
      expect(alarm.namespace).toBe('AWS/ApplicationELB');
      expect(alarm.metric_name).toBe('HealthyHostCount');
      expect(alarm.comparison_operator).toBe('LessThanThreshold');
      // One below the primary's minimum: one task being replaced is not a failure (docs/failover.md).
      expect(alarm.threshold).toBe(cfg.ecs[app].minCount - 1);
      expect(alarm.evaluation_periods).toBe(2);
      expect(alarm.datapoints_to_alarm).toBe(2);
      expect(alarm.treat_missing_data).toBe('breaching');
      expect(alarm.dimensions.AvailabilityZone).toBe(cfg.availabilityZones[0]);
      const tg = targetGroupNamed(prod, `bandup-prod-${app}`);
      expect(alarm.dimensions.TargetGroup).toBe(`\${aws_lb_target_group.${tg}.arn_suffix}`);
      expect(alarm.dimensions.LoadBalancer).toMatch(/^\$\{aws_lb\.[^.]+\.arn_suffix\}$/);

      const policyId = (alarm.alarm_actions as string[])
        .map((a) => refId(a, 'aws_appautoscaling_policy'))
        .find(Boolean);
      const policy = byId(prod, 'aws_appautoscaling_policy', policyId);
      expect(policy.policy_type).toBe('StepScaling');
      expect(policy.resource_id).toBe(`\${aws_appautoscaling_target.${targetId}.resource_id}`);
      const step = policy.step_scaling_policy_configuration;
      expect(step.adjustment_type).toBe('ExactCapacity');
      expect(step.step_adjustment).toEqual([
        { metric_interval_upper_bound: '0', scaling_adjustment: cfg.ecs[app].maxCount },
      ]);
      // Operators hear about it too.
      expect((alarm.alarm_actions as string[]).some((a) => a.includes('aws_sns_topic.'))).toBe(true);
    }
  });

  it('recovers: a second alarm returns the standby to its warm count once the primary AZ is healthy', () => {
    const cfg = configs.prod as EnvironmentConfig;
    for (const app of ['frontend', 'backend'] as const) {
      const [standbyId] = serviceNamed(prod, `${app}-standby`);
      const [targetId] = scalableTargetOf(prod, standbyId);
      const alarm = Object.values(resourcesOf(prod, 'aws_cloudwatch_metric_alarm')).find(
        (a) => a.alarm_name === `bandup-prod-${app}-primary-az-recovered`,
      ) as Json;
      expect(alarm.metric_name).toBe('HealthyHostCount');
      expect(alarm.comparison_operator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.dimensions.AvailabilityZone).toBe(cfg.availabilityZones[0]);
      expect(alarm.evaluation_periods).toBeGreaterThan(2);
      const policy = byId(
        prod,
        'aws_appautoscaling_policy',
        refId(alarm.alarm_actions[0], 'aws_appautoscaling_policy'),
      );
      expect(policy.resource_id).toBe(`\${aws_appautoscaling_target.${targetId}.resource_id}`);
      expect(policy.step_scaling_policy_configuration.adjustment_type).toBe('ExactCapacity');
      expect(policy.step_scaling_policy_configuration.step_adjustment).toEqual([
        { metric_interval_lower_bound: '0', scaling_adjustment: cfg.ecs[app].standbyWarmCount },
      ]);
    }
  });

  it('keeps CPU and memory target tracking on the primary, within its configured bounds', () => {
    const cfg = configs.prod as EnvironmentConfig;
    for (const app of ['frontend', 'backend'] as const) {
      const [primaryId] = serviceNamed(prod, `${app}-primary`);
      const [targetId, target] = scalableTargetOf(prod, primaryId);
      expect([target.min_capacity, target.max_capacity]).toEqual([
        cfg.ecs[app].minCount,
        cfg.ecs[app].maxCount,
      ]);
      const tracking = Object.values(resourcesOf(prod, 'aws_appautoscaling_policy')).filter(
        (p) => p.resource_id === `\${aws_appautoscaling_target.${targetId}.resource_id}`,
      );
      expect(
        tracking
          .map(
            (p) =>
              p.target_tracking_scaling_policy_configuration.predefined_metric_specification
                .predefined_metric_type,
          )
          .sort(),
      ).toEqual(['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']);
      const [standbyId] = serviceNamed(prod, `${app}-standby`);
      const [standbyTargetId] = scalableTargetOf(prod, standbyId);
      const standbyPolicies = Object.values(resourcesOf(prod, 'aws_appautoscaling_policy')).filter(
        (p) => p.resource_id === `\${aws_appautoscaling_target.${standbyTargetId}.resource_id}`,
      );
      // Only the two failover step policies move the standby.
      expect(standbyPolicies.map((p) => p.policy_type)).toEqual(['StepScaling', 'StepScaling']);
    }
  });

  it('serves the standby cell through its own Service Connect name', () => {
    const [, backendStandby] = serviceNamed(prod, 'backend-standby');
    expect(backendStandby.service_connect_configuration.service[0].client_alias).toEqual({
      dns_name: 'backend-standby',
      port: 8080,
    });
    const [, frontendStandby] = serviceNamed(prod, 'frontend-standby');
    const td = byId(
      prod,
      'aws_ecs_task_definition',
      refId(frontendStandby.task_definition, 'aws_ecs_task_definition'),
    );
    const env = container(td).environment as Json[];
    expect(env).toContainEqual({ name: 'BACKEND_URL', value: 'http://backend-standby:8080' });
  });

  it('runs no primary on Fargate Spot and no ECS Exec in prod', () => {
    for (const [, s] of Object.entries(services(prod))) {
      expect(s.capacity_provider_strategy.map((c: Json) => c.capacity_provider)).toEqual(['FARGATE']);
      expect(s.enable_execute_command).toBe(false);
    }
    const cluster = Object.values(resourcesOf(prod, 'aws_ecs_cluster'))[0] as Json;
    expect(cluster.configuration).toBeUndefined();
    expect(resourcesOf(prod, 'aws_ecs_cluster_capacity_providers')).not.toEqual({});
    expect(
      Object.values(resourcesOf(prod, 'aws_ecs_cluster_capacity_providers'))[0]?.capacity_providers,
    ).toEqual(['FARGATE']);
  });

  it('protects the load balancer from deletion in prod', () => {
    const lb = Object.values(resourcesOf(prod, 'aws_lb'))[0] as Json;
    expect(lb.enable_deletion_protection).toBe(true);
  });
});

describe('app stack, dev (active-active)', () => {
  it('runs one service per app over both AZ subnets with target tracking', () => {
    const cfg = configs.dev as EnvironmentConfig;
    expect(
      Object.values(services(dev))
        .map((s) => s.name)
        .sort(),
    ).toEqual(['backend', 'frontend']);
    for (const app of ['frontend', 'backend'] as const) {
      const [id, svc] = serviceNamed(dev, app);
      expect(svc.network_configuration.subnets).toHaveLength(2);
      expect(svc.availability_zone_rebalancing).toBe('ENABLED');
      const [targetId, target] = scalableTargetOf(dev, id);
      expect([target.min_capacity, target.max_capacity]).toEqual([
        cfg.ecs[app].minCount,
        cfg.ecs[app].maxCount,
      ]);
      const policies = Object.values(resourcesOf(dev, 'aws_appautoscaling_policy')).filter(
        (p) => p.resource_id === `\${aws_appautoscaling_target.${targetId}.resource_id}`,
      );
      expect(policies.map((p) => p.policy_type)).toEqual(['TargetTrackingScaling', 'TargetTrackingScaling']);
    }
    expect(
      Object.values(resourcesOf(dev, 'aws_cloudwatch_metric_alarm')).some(
        (a) => a.metric_name === 'HealthyHostCount',
      ),
    ).toBe(false);
  });

  it('uses Fargate Spot and ECS Exec (KMS-encrypted, logged to an encrypted group) because dev config asks for them', () => {
    for (const s of Object.values(services(dev))) {
      expect(s.capacity_provider_strategy.map((c: Json) => c.capacity_provider)).toContain('FARGATE_SPOT');
      expect(s.enable_execute_command).toBe(true);
    }
    const cluster = Object.values(resourcesOf(dev, 'aws_ecs_cluster'))[0] as Json;
    const exec = cluster.configuration.execute_command_configuration;
    expect(exec.kms_key_id).toMatch(/aws_kms_key\./);
    expect(exec.logging).toBe('OVERRIDE');
    expect(exec.log_configuration.cloud_watch_encryption_enabled).toBe(true);
    const group = byId(
      dev,
      'aws_cloudwatch_log_group',
      refId(exec.log_configuration.cloud_watch_log_group_name, 'aws_cloudwatch_log_group'),
    );
    expect(group.name).toBe('/bandup/dev/ecs/exec');
    expect(group.kms_key_id).toBeTruthy();
    // With a read-only root, the SSM agent needs its scratch volumes.
    const backendTd = Object.values(resourcesOf(dev, 'aws_ecs_task_definition')).find(
      (t) => t.family === 'bandup-dev-backend',
    ) as Json;
    const mounts = (container(backendTd).mountPoints as Json[]).map((m) => m.containerPath);
    expect(mounts).toEqual(['/tmp', '/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm']);
  });
});

describe('app stack, both environments', () => {
  const each = () =>
    [
      ['prod', prod],
      ['dev', dev],
    ] as const;

  it('deploys with the circuit breaker and rollback, grace period and healthy percent; autoscaling owns the count', () => {
    for (const [, stack] of each()) {
      for (const s of Object.values(services(stack))) {
        expect(s.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
        expect(s.health_check_grace_period_seconds).toBeGreaterThan(0);
        expect(s.deployment_minimum_healthy_percent).toBe(100);
        expect(s.deployment_maximum_percent).toBe(200);
        expect(s.propagate_tags).toBe('SERVICE');
        expect(s.enable_ecs_managed_tags).toBe(true);
        expect(s.wait_for_steady_state).toBe(false);
        expect(s.lifecycle.ignore_changes).toEqual(['desired_count']);
        expect(s.depends_on).toEqual(
          expect.arrayContaining([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./)]),
        );
        expect(s.depends_on).toEqual(
          expect.arrayContaining([expect.stringMatching(/^aws_lb_listener_rule\./)]),
        );
      }
    }
  });

  it('never gives a task a public IP', () => {
    for (const [, stack] of each()) {
      const all = Object.values(services(stack));
      expect(all.length).toBeGreaterThan(0);
      for (const s of all) expect(s.network_configuration.assign_public_ip).toBe(false);
    }
  });

  it('redirects HTTP:80 to HTTPS:443 with a 301, and serves 443 with TLS 1.3/1.2 and the validated certificate', () => {
    for (const [, stack] of each()) {
      const listeners = Object.values(resourcesOf(stack, 'aws_lb_listener'));
      const http = listeners.find((l) => l.port === 80) as Json;
      expect(http.protocol).toBe('HTTP');
      expect(http.default_action).toEqual([
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
      ]);
      const https = listeners.find((l) => l.port === 443) as Json;
      expect(https.protocol).toBe('HTTPS');
      expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
      expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\.[^.]+\.certificate_arn\}$/);
      const frontendTg = targetGroupNamed(stack, `bandup-${stack === prod ? 'prod' : 'dev'}-frontend`);
      expect(https.default_action[0]).toMatchObject({
        type: 'forward',
        target_group_arn: `\${aws_lb_target_group.${frontendTg}.arn}`,
      });
    }
  });

  it('routes /api/* and /ws* to the backend target group', () => {
    for (const [env, stack] of each()) {
      const backendTg = `\${aws_lb_target_group.${targetGroupNamed(stack, `bandup-${env}-backend`)}.arn}`;
      const rules = Object.values(resourcesOf(stack, 'aws_lb_listener_rule'));
      const patterns = (rule: Json) => rule.condition.flatMap((c: Json) => c.path_pattern?.values ?? []);
      for (const pattern of ['/api/*', '/ws*']) {
        const rule = rules.find((r) => patterns(r).includes(pattern));
        expect(rule, pattern).toBeDefined();
        expect(rule?.action).toEqual([{ type: 'forward', target_group_arn: backendTg }]);
        expect(rule?.listener_arn).toMatch(/aws_lb_listener\.[^.]+\.arn/);
      }
      const backend = resourcesOf(stack, 'aws_lb_target_group')[
        targetGroupNamed(stack, `bandup-${env}-backend`)
      ] as Json;
      expect(backend).toMatchObject({ target_type: 'ip', port: 8080, deregistration_delay: '30' });
      expect(backend.health_check.path).toBe('/actuator/health');
      expect(backend.stickiness.enabled).toBe(false);
    }
  });

  it('associates the WAF web ACL with the ALB', () => {
    for (const [, stack] of each()) {
      const association = Object.values(resourcesOf(stack, 'aws_wafv2_web_acl_association'))[0] as Json;
      expect(association.resource_arn).toMatch(/^\$\{aws_lb\.[^.]+\.arn\}$/);
      expect(association.web_acl_arn).toMatch(/^\$\{aws_wafv2_web_acl\.[^.]+\.arn\}$/);
      const acl = byId(stack, 'aws_wafv2_web_acl', refId(association.web_acl_arn, 'aws_wafv2_web_acl'));
      expect(
        acl.rule.find((r: Json) => r.statement.rate_based_statement)?.statement.rate_based_statement.limit,
      ).toBe(configs.prod?.waf.rateLimitPer5Minutes);
      // Only the body-size rule of the common set is relaxed to count (long posts are legitimate).
      const overrides = acl.rule.flatMap(
        (r: Json) => r.statement.managed_rule_group_statement?.rule_action_override ?? [],
      );
      expect(overrides).toEqual([{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]);
    }
  });

  it('hardens the ALB: invalid headers dropped, access logs under alb/, WebSocket idle timeout, alias record', () => {
    for (const [env, stack] of each()) {
      const lb = Object.values(resourcesOf(stack, 'aws_lb'))[0] as Json;
      expect(lb.internal).toBe(false);
      expect(lb.drop_invalid_header_fields).toBe(true);
      expect(lb.idle_timeout).toBe(3600);
      expect(lb.access_logs).toMatchObject({ enabled: true, prefix: 'alb' });
      expect(lb.access_logs.bucket).toMatch(/alb-logs/);
      const records = Object.values(resourcesOf(stack, 'aws_route53_record'));
      const alias = records.find((r) => r.type === 'A') as Json;
      expect(alias.name).toBe(configs[env]?.dns.domainName);
      expect(alias.zone_id).toBe(configs[env]?.dns.hostedZoneId);
      expect(alias.alias.name).toMatch(/aws_lb\.[^.]+\.dns_name/);
      const validation = records.find((r) => r.for_each) as Json;
      expect(validation.zone_id).toBe(configs[env]?.dns.hostedZoneId);
    }
  });

  it('gives each task a task role different from its execution role, with least privilege', () => {
    for (const [, stack] of each()) {
      const roles = resourcesOf(stack, 'aws_iam_role');
      const policies = Object.values(resourcesOf(stack, 'aws_iam_role_policy'));
      const policyOf = (roleToken: string) => {
        const roleId = refId(roleToken, 'aws_iam_role');
        const found = policies.find((p) => refId(p.role, 'aws_iam_role') === roleId);
        return JSON.parse(found?.policy ?? '{}') as Json;
      };
      const backend = Object.values(resourcesOf(stack, 'aws_ecs_task_definition')).find((t) =>
        t.family.endsWith('-backend'),
      ) as Json;
      expect(backend.task_role_arn).toBeDefined();
      expect(backend.task_role_arn).not.toBe(backend.execution_role_arn);
      expect(Object.keys(roles)).toContain(refId(backend.task_role_arn, 'aws_iam_role'));
      const taskPolicy = policyOf(backend.task_role_arn);
      const actions = taskPolicy.Statement.flatMap((s: Json) => [s.Action].flat());
      expect(actions).toContain('execute-api:Invoke');
      // Password login with its own rotated user: no IAM database auth grant.
      expect(actions).not.toContain('rds-db:connect');
      expect(actions).toContain('s3:PutObject');
      expect(JSON.stringify(taskPolicy)).toContain(FAKE_INVOKE_ARN);
      // The agent's permissions (pull, secrets) are not the app's.
      expect(actions).not.toContain('secretsmanager:GetSecretValue');
      expect(actions).not.toContain('ecr:BatchGetImage');
      const executionActions = policyOf(backend.execution_role_arn).Statement.flatMap((s: Json) =>
        [s.Action].flat(),
      );
      expect(executionActions).toEqual(
        expect.arrayContaining(['secretsmanager:GetSecretValue', 'ecr:BatchGetImage', 'kms:Decrypt']),
      );
      expect(executionActions).not.toContain('execute-api:Invoke');
      // Task roles for ECS; the one function of this stack (the rolling restart) for Lambda.
      for (const role of Object.values(roles)) {
        const trust = JSON.parse(role.assume_role_policy) as Json;
        const service = role.name.endsWith('-backend-restart')
          ? 'lambda.amazonaws.com'
          : 'ecs-tasks.amazonaws.com';
        expect(trust.Statement[0].Principal).toEqual({ Service: service });
        expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toMatch(/^\d{12}$/);
      }
    }
  });

  it('injects secrets through `secrets` only: no secret-looking variable in `environment`', () => {
    for (const [, stack] of each()) {
      for (const td of Object.values(resourcesOf(stack, 'aws_ecs_task_definition'))) {
        for (const { name } of container(td).environment as Json[]) {
          expect(name).not.toMatch(/PASSWORD|SECRET|TOKEN|ACCESSKEY|REFRESHKEY|API_KEY|PRIVATE/);
        }
      }
      const backend = Object.values(resourcesOf(stack, 'aws_ecs_task_definition')).find((t) =>
        t.family.endsWith('-backend'),
      ) as Json;
      const secrets = container(backend).secrets as Json[];
      const byName = Object.fromEntries(secrets.map((s) => [s.name, s.valueFrom as string]));
      expect(byName.SPRING_DATASOURCE_PASSWORD).toMatch(/secret-database-app.*:password::$/);
      expect(byName.SPRING_DATASOURCE_USERNAME).toMatch(/secret-database-app.*:username::$/);
      expect(byName.SPRING_DATA_REDIS_PASSWORD).toMatch(/secret-cache-auth/);
      expect(byName.AI_API_KEY).toMatch(/secret-ai-api-key/);
      expect(byName.JWT_ACCESSKEY).toMatch(/secret-jwt.*:accessKey::$/);
      expect(byName.VNP_SECRET).toMatch(/secret-payment.*:secret::$/);
      const env = Object.fromEntries(
        (container(backend).environment as Json[]).map((e) => [e.name, e.value]),
      );
      expect(env).toMatchObject({
        DB_NAME: 'band_up',
        DB_PORT: '5432',
        SPRING_DATA_REDIS_SSL_ENABLED: 'true',
      });
      expect(env.AI_API_URL).toMatch(/^https:\/\/fakeapi/);
    }
  });

  it('hardens every container: non-root, read-only root with /tmp, no capabilities, init, health check, explicit platform', () => {
    for (const [, stack] of each()) {
      for (const td of Object.values(resourcesOf(stack, 'aws_ecs_task_definition'))) {
        expect(td.runtime_platform).toEqual({ operating_system_family: 'LINUX', cpu_architecture: 'X86_64' });
        expect(td.network_mode).toBe('awsvpc');
        const c = container(td);
        expect(c.user).toMatch(/^[1-9]\d*(:\d+)?$/);
        expect(c.privileged).toBe(false);
        expect(c.readonlyRootFilesystem).toBe(true);
        expect(c.mountPoints[0]).toMatchObject({ containerPath: '/tmp', readOnly: false });
        expect(c.linuxParameters).toEqual({ initProcessEnabled: true, capabilities: { drop: ['ALL'] } });
        expect(c.healthCheck.command[0]).toMatch(/^CMD/);
        expect(c.logConfiguration.logDriver).toBe('awslogs');
        const group = byId(
          stack,
          'aws_cloudwatch_log_group',
          refId(c.logConfiguration.options['awslogs-group'], 'aws_cloudwatch_log_group'),
        );
        expect(group.kms_key_id).toBeTruthy();
        expect(group.retention_in_days).toBeGreaterThan(0);
      }
    }
  });

  it('keeps images in immutable, scanned, KMS-encrypted repositories with a lifecycle policy', () => {
    for (const [, stack] of each()) {
      const repos = Object.values(resourcesOf(stack, 'aws_ecr_repository'));
      expect(repos.map((r) => r.name).sort()).toEqual([
        expect.stringMatching(/-backend$/),
        expect.stringMatching(/-frontend$/),
      ]);
      for (const repo of repos) {
        expect(repo.image_tag_mutability).toBe('IMMUTABLE');
        expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
        expect(repo.encryption_configuration[0]).toMatchObject({ encryption_type: 'KMS' });
        expect(repo.encryption_configuration[0].kms_key).toMatch(/aws_kms_key\./);
      }
      for (const lifecycle of Object.values(resourcesOf(stack, 'aws_ecr_lifecycle_policy'))) {
        const rules = JSON.parse(lifecycle.policy).rules as Json[];
        expect(rules.find((r) => r.selection.tagStatus === 'untagged')?.selection.countType).toBe(
          'sinceImagePushed',
        );
        expect(rules.find((r) => r.selection.tagPrefixList?.includes('v'))?.selection.countType).toBe(
          'imageCountMoreThan',
        );
      }
      for (const policy of Object.values(resourcesOf(stack, 'aws_ecr_repository_policy'))) {
        const doc = JSON.parse(policy.policy) as Json;
        expect(doc.Statement.every((s: Json) => s.Effect === 'Deny')).toBe(true);
      }
    }
  });

  it('notifies operators through a KMS-encrypted topic CloudWatch may use', () => {
    for (const [env, stack] of each()) {
      const topic = Object.values(resourcesOf(stack, 'aws_sns_topic'))[0] as Json;
      const keyId = refId(topic.kms_master_key_id, 'aws_kms_key');
      const key = byId(stack, 'aws_kms_key', keyId);
      const principals = (JSON.parse(key.policy).Statement as Json[])
        .map((s) => s.Principal?.Service)
        .filter(Boolean);
      expect(principals).toContain('cloudwatch.amazonaws.com');
      const cloudwatch = (JSON.parse(key.policy).Statement as Json[]).find(
        (s) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
      ) as Json;
      // The documented statement, no condition CloudWatch's requests could fail.
      expect(cloudwatch.Condition).toBeUndefined();
      expect([cloudwatch.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      const subscription = Object.values(resourcesOf(stack, 'aws_sns_topic_subscription'))[0] as Json;
      expect(subscription).toMatchObject({
        protocol: 'email',
        endpoint: configs[env]?.observability.alarmEmail,
      });
      const metrics = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).map(
        (a) => a.metric_name,
      );
      expect(metrics).toEqual(
        expect.arrayContaining([
          'HTTPCode_ELB_5XX_Count',
          'HTTPCode_Target_5XX_Count',
          'UnHealthyHostCount',
          'CPUUtilization',
          'MemoryUtilization',
        ]),
      );
    }
  });

  it('creates no security group or rule of its own (all tier groups live in the network stack)', () => {
    for (const [, stack] of each()) {
      for (const type of [
        'aws_security_group',
        'aws_security_group_rule',
        'aws_vpc_security_group_ingress_rule',
        'aws_vpc_security_group_egress_rule',
      ]) {
        expect(resourcesOf(stack, type)).toEqual({});
      }
    }
  });
});
