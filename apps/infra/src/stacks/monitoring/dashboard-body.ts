/** What the dashboard shows: every tier of one environment, by the names its metrics carry. */
export interface DashboardTargets {
  readonly region: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffixes: Readonly<Record<string, string>>;
  readonly ecsClusterName: string;
  readonly ecsServiceNames: readonly string[];
  readonly databaseIdentifier: string;
  readonly cacheNodeIds: readonly string[];
  readonly queues: readonly { readonly name: string; readonly deadLetterName: string }[];
  readonly functionNames: readonly string[];
  readonly api: { readonly name: string; readonly stage: string };
}

type Metric = (string | { readonly stat?: string; readonly label?: string })[];

interface Widget {
  readonly type: 'metric';
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly view: 'timeSeries';
    readonly stacked: false;
    readonly period: number;
    readonly metrics: Metric[];
  };
}

function widget(region: string, title: string, metrics: Metric[]): Widget {
  return {
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics },
  };
}

/**
 * The CloudWatch dashboard body (its JSON schema): one row of widgets per tier, edge to workers:
 * ALB, ECS, RDS, cache, SQS and DLQs, Lambda, API Gateway. Widgets flow left to right, two per row.
 */
export function dashboardBody(t: DashboardTargets): string {
  const r = t.region;
  const alb = ['AWS/ApplicationELB'];
  const widgets: Widget[] = [
    widget(r, 'ALB requests and errors', [
      [...alb, 'RequestCount', 'LoadBalancer', t.loadBalancerArnSuffix, { stat: 'Sum' }],
      [...alb, 'HTTPCode_ELB_5XX_Count', 'LoadBalancer', t.loadBalancerArnSuffix, { stat: 'Sum' }],
      [...alb, 'HTTPCode_Target_5XX_Count', 'LoadBalancer', t.loadBalancerArnSuffix, { stat: 'Sum' }],
      [...alb, 'RejectedConnectionCount', 'LoadBalancer', t.loadBalancerArnSuffix, { stat: 'Sum' }],
    ]),
    widget(
      r,
      'ALB target response time (p95) and healthy hosts',
      Object.entries(t.targetGroupArnSuffixes).flatMap(([app, tg]) => [
        [
          ...alb,
          'TargetResponseTime',
          'TargetGroup',
          tg,
          'LoadBalancer',
          t.loadBalancerArnSuffix,
          { stat: 'p95', label: `${app} p95` },
        ],
        [
          ...alb,
          'HealthyHostCount',
          'TargetGroup',
          tg,
          'LoadBalancer',
          t.loadBalancerArnSuffix,
          { stat: 'Minimum', label: `${app} healthy` },
        ],
      ]),
    ),
    widget(
      r,
      'ECS CPU and memory',
      t.ecsServiceNames.flatMap((service) => [
        [
          'AWS/ECS',
          'CPUUtilization',
          'ClusterName',
          t.ecsClusterName,
          'ServiceName',
          service,
          { stat: 'Average' },
        ],
        [
          'AWS/ECS',
          'MemoryUtilization',
          'ClusterName',
          t.ecsClusterName,
          'ServiceName',
          service,
          { stat: 'Average' },
        ],
      ]),
    ),
    widget(r, 'RDS PostgreSQL', [
      ['AWS/RDS', 'CPUUtilization', 'DBInstanceIdentifier', t.databaseIdentifier, { stat: 'Average' }],
      ['AWS/RDS', 'DatabaseConnections', 'DBInstanceIdentifier', t.databaseIdentifier, { stat: 'Maximum' }],
      ['AWS/RDS', 'FreeStorageSpace', 'DBInstanceIdentifier', t.databaseIdentifier, { stat: 'Minimum' }],
      ['AWS/RDS', 'FreeableMemory', 'DBInstanceIdentifier', t.databaseIdentifier, { stat: 'Minimum' }],
    ]),
    widget(
      r,
      'Valkey cache',
      t.cacheNodeIds.flatMap((node) => [
        ['AWS/ElastiCache', 'EngineCPUUtilization', 'CacheClusterId', node, { stat: 'Average' }],
        ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'CacheClusterId', node, { stat: 'Average' }],
        ['AWS/ElastiCache', 'Evictions', 'CacheClusterId', node, { stat: 'Sum' }],
        ['AWS/ElastiCache', 'CurrConnections', 'CacheClusterId', node, { stat: 'Maximum' }],
      ]),
    ),
    widget(
      r,
      'SQS backlog, age of oldest message, dead letters',
      t.queues.flatMap((q) => [
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q.name, { stat: 'Maximum' }],
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', q.name, { stat: 'Maximum' }],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q.deadLetterName, { stat: 'Maximum' }],
      ]),
    ),
    widget(
      r,
      'Lambda errors, throttles, duration (p95)',
      t.functionNames.flatMap((fn) => [
        ['AWS/Lambda', 'Errors', 'FunctionName', fn, { stat: 'Sum' }],
        ['AWS/Lambda', 'Throttles', 'FunctionName', fn, { stat: 'Sum' }],
        ['AWS/Lambda', 'Duration', 'FunctionName', fn, { stat: 'p95' }],
      ]),
    ),
    widget(r, 'AI API Gateway', [
      ['AWS/ApiGateway', 'Count', 'ApiName', t.api.name, 'Stage', t.api.stage, { stat: 'Sum' }],
      ['AWS/ApiGateway', '4XXError', 'ApiName', t.api.name, 'Stage', t.api.stage, { stat: 'Sum' }],
      ['AWS/ApiGateway', '5XXError', 'ApiName', t.api.name, 'Stage', t.api.stage, { stat: 'Sum' }],
      ['AWS/ApiGateway', 'Latency', 'ApiName', t.api.name, 'Stage', t.api.stage, { stat: 'p95' }],
    ]),
  ];
  return JSON.stringify({ widgets });
}
