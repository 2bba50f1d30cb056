import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentConfig, selectEnvironments } from '../src/config/index.js';
import { postgresMaxConnections } from '../src/stacks/monitoring/postgres-max-connections.js';
import { synthesizeFullApp } from './support/full-app.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/** The monitoring stacks inside the real, whole app (dev and prod), so every reference resolves. */
let stacks: Record<string, Json>;
const configs = selectEnvironments('dev,prod');
beforeAll(() => {
  ({ stacks } = synthesizeFullApp('dev,prod'));
});

const alarms = (stack: Json): Json[] => Object.values(stack.resource?.aws_cloudwatch_metric_alarm ?? {});

describe.each(configs.map((c) => [c.name, c] as [string, EnvironmentConfig]))(
  'bandup-%s-monitoring',
  (env, config) => {
    const stack = () => stacks[`bandup-${env}-monitoring`] as Json;

    it('alarms on RDS CPU, free storage and connections, notifying the app stack alarm topic', () => {
      const rds = alarms(stack()).filter((a) => a.namespace === 'AWS/RDS');
      expect(rds.map((a) => a.metric_name).sort()).toEqual([
        'CPUUtilization',
        'DatabaseConnections',
        'FreeStorageSpace',
      ]);
      for (const alarm of rds) {
        expect(alarm.dimensions.DBInstanceIdentifier).toMatch(
          /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-bandup-[a-z]+-data\./,
        );
        expect(alarm.alarm_actions).toEqual([
          expect.stringMatching(/terraform_remote_state\.cross-stack-reference-input-bandup-[a-z]+-app\./),
        ]);
        expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
      }
      const storage = rds.find((a) => a.metric_name === 'FreeStorageSpace') as Json;
      expect(storage.comparison_operator).toBe('LessThanThreshold');
      expect(storage.threshold).toBe(Math.round(config.database.allocatedStorageGib * 1024 ** 3 * 0.05));
      const connections = rds.find((a) => a.metric_name === 'DatabaseConnections') as Json;
      expect(connections.threshold).toBe(
        Math.floor(postgresMaxConnections(config.database.instanceClass) * 0.8),
      );
    });

    it('alarms on every cache node, with replication lag only where there are replicas', () => {
      const cache = alarms(stack()).filter((a) => a.namespace === 'AWS/ElastiCache');
      const nodes = config.cache.replicas + 1;
      const byMetric = (m: string) => cache.filter((a) => a.metric_name === m);
      expect(byMetric('EngineCPUUtilization')).toHaveLength(nodes);
      expect(byMetric('DatabaseMemoryUsagePercentage')).toHaveLength(nodes);
      expect(byMetric('Evictions')).toHaveLength(nodes);
      expect(byMetric('ReplicationLag')).toHaveLength(config.cache.replicas > 0 ? nodes : 0);
      const ids = new Set(cache.map((a) => a.dimensions.CacheClusterId));
      expect(ids.size).toBe(nodes);
      for (const id of ids) expect(id).toMatch(/^\$\{data\.terraform_remote_state\..*\}-00[1-6]$/);
    });

    it('sets the monthly budget from config with notifications at 80 and 100 percent', () => {
      const budget = Object.values(stack().resource.aws_budgets_budget)[0] as Json;
      expect(budget.limit_amount).toBe(config.observability.monthlyBudgetUsd.toFixed(2));
      expect(budget.limit_unit).toBe('USD');
      expect(budget.time_unit).toBe('MONTHLY');
      expect(budget.cost_filter).toEqual([{ name: 'TagKeyValue', values: [`user:Environment$${env}`] }]);
      expect(budget.notification.map((n: Json) => n.threshold)).toEqual([80, 100]);
      for (const n of budget.notification)
        expect(n.subscriber_email_addresses).toEqual([config.observability.alarmEmail]);
    });

    it('has one dashboard covering ALB, ECS, RDS, cache, SQS and DLQs, Lambda and API Gateway', () => {
      const dashboard = Object.values(stack().resource.aws_cloudwatch_dashboard)[0] as Json;
      const body = JSON.parse(dashboard.dashboard_body) as {
        widgets: { properties: { metrics: unknown[][] } }[];
      };
      const metrics = body.widgets.flatMap((w) => w.properties.metrics);
      const namespaces = new Set(metrics.map((m) => m[0]));
      expect([...namespaces].sort()).toEqual(
        [
          'AWS/ApiGateway',
          'AWS/ApplicationELB',
          'AWS/ECS',
          'AWS/ElastiCache',
          'AWS/Lambda',
          'AWS/RDS',
          'AWS/SQS',
        ].sort(),
      );
      const queueNames = metrics.filter((m) => m[0] === 'AWS/SQS').map((m) => m[3] as string);
      expect(queueNames.some((q) => q.endsWith('-dlq'))).toBe(true);
      expect(metrics.filter((m) => m[0] === 'AWS/Lambda').map((m) => m[3])).toContain(`bandup-${env}-submit`);
    });
  },
);

describe('postgresMaxConnections', () => {
  it('follows the RDS default formula on 75% of the nominal memory and names an unknown class', () => {
    expect(postgresMaxConnections('db.t4g.micro')).toBe(84);
    expect(postgresMaxConnections('db.r7g.large')).toBe(1351);
    expect(postgresMaxConnections('db.m7g.16xlarge')).toBe(5000);
    expect(() => postgresMaxConnections('db.x2g.large')).toThrow(/database.instanceClass "db.x2g.large"/);
  });
});
