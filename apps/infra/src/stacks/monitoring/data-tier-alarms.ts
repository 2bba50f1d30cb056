import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import { metricAlarm, type SingleMetric } from '../../constructs/observability/metric-alarm.js';
import { postgresMaxConnections } from './postgres-max-connections.js';

/** A data-tier alarm: one metric judged every 5 minutes, paging the monitoring topic. */
interface DataTierAlarm {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly metric: Omit<SingleMetric, 'period'>;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly threshold: number;
  /** Consecutive 5-minute periods in breach before the alarm fires. */
  readonly periods: number;
  /** Default `missing`: periods without data are not evaluated (no data at all: INSUFFICIENT_DATA). */
  readonly treatMissingData?: 'missing' | 'notBreaching' | 'breaching';
}

function dataTierAlarm(scope: Construct, topicArn: string, spec: DataTierAlarm): CloudwatchMetricAlarm {
  return metricAlarm(scope, spec.id, {
    alarmName: spec.name,
    alarmDescription: spec.description,
    metric: { ...spec.metric, period: 300 },
    comparison: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.periods,
    treatMissingData: spec.treatMissingData ?? 'missing',
    topicArn,
  });
}

export interface DatabaseAlarmsProps {
  /** Alarm name prefix, `bandup-<env>-postgres`. */
  readonly name: string;
  readonly instanceIdentifier: string;
  readonly instanceClass: string;
  readonly allocatedStorageGib: number;
  readonly topicArn: string;
}

/**
 * RDS PostgreSQL: CPU, free storage and connections. There is no replica-lag alarm because the
 * platform runs no read replica: the Multi-AZ standby is synchronous and publishes no lag metric.
 */
export class DatabaseAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const dimensions = { DBInstanceIdentifier: props.instanceIdentifier };
    const maxConnections = postgresMaxConnections(props.instanceClass);
    this.alarms = [
      dataTierAlarm(this, props.topicArn, {
        id: 'cpu',
        name: `${props.name}-cpu-high`,
        description: `${props.name}: CPU above 80% for 15 minutes`,
        metric: { namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions, statistic: 'Average' },
        comparison: 'GreaterThanThreshold',
        threshold: 80,
        periods: 3,
      }),
      // Storage autoscaling grows the volume at 10% free; 5% of the initial size free means it
      // could not (ceiling reached, or the 6-hour cool-down): act before the database stops.
      dataTierAlarm(this, props.topicArn, {
        id: 'free-storage',
        name: `${props.name}-free-storage-low`,
        description: `${props.name}: free storage below 5% of the allocated ${props.allocatedStorageGib} GiB`,
        metric: { namespace: 'AWS/RDS', metricName: 'FreeStorageSpace', dimensions, statistic: 'Minimum' },
        comparison: 'LessThanThreshold',
        threshold: Math.round(props.allocatedStorageGib * 1024 ** 3 * 0.05),
        periods: 1,
      }),
      dataTierAlarm(this, props.topicArn, {
        id: 'connections',
        name: `${props.name}-connections-high`,
        description: `${props.name}: connections above 80% of max_connections (${maxConnections})`,
        metric: { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions, statistic: 'Maximum' },
        comparison: 'GreaterThanThreshold',
        threshold: Math.floor(maxConnections * 0.8),
        periods: 2,
      }),
    ];
  }
}

export interface CacheAlarmsProps {
  /** Alarm name prefix, `bandup-<env>-cache`. */
  readonly name: string;
  readonly replicationGroupId: string;
  /** Replicas besides the primary (`cache.replicas`). */
  readonly replicas: number;
  readonly topicArn: string;
}

/**
 * Valkey: engine CPU (the single-threaded engine saturates long before host CPU), memory,
 * evictions, and replication lag on each replica. ElastiCache publishes per node, under the member
 * cluster ids it derives from the replication group: `<group>-001` (primary at creation), `-002`...
 */
export class CacheAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id);
    cacheNodeIds(props.replicationGroupId, props.replicas).forEach((node, i) => {
      this.nodeAlarms(props, node, String(i + 1).padStart(3, '0'));
    });
  }

  /** The alarms of one node, `n` its member number (`001`...). */
  private nodeAlarms(props: CacheAlarmsProps, node: string, n: string): void {
    const dimensions = { CacheClusterId: node };
    this.alarms.push(
      dataTierAlarm(this, props.topicArn, {
        id: `engine-cpu-${n}`,
        name: `${props.name}-${n}-engine-cpu-high`,
        description: `${props.name} node ${n}: engine CPU above 80% for 15 minutes`,
        metric: {
          namespace: 'AWS/ElastiCache',
          metricName: 'EngineCPUUtilization',
          dimensions,
          statistic: 'Average',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 80,
        periods: 3,
      }),
      dataTierAlarm(this, props.topicArn, {
        id: `memory-${n}`,
        name: `${props.name}-${n}-memory-high`,
        description: `${props.name} node ${n}: memory above 80% of maxmemory`,
        metric: {
          namespace: 'AWS/ElastiCache',
          metricName: 'DatabaseMemoryUsagePercentage',
          dimensions,
          statistic: 'Average',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 80,
        periods: 3,
      }),
      // Sessions and rate-limit counters live here: any sustained eviction loses state.
      dataTierAlarm(this, props.topicArn, {
        id: `evictions-${n}`,
        name: `${props.name}-${n}-evictions`,
        description: `${props.name} node ${n}: keys evicted for 10 minutes (memory pressure)`,
        metric: { namespace: 'AWS/ElastiCache', metricName: 'Evictions', dimensions, statistic: 'Sum' },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        periods: 2,
        treatMissingData: 'notBreaching',
      }),
    );
    // Every node, not only the replicas at creation: after a failover the roles swap. The primary
    // publishes no lag, so missing data is not a breach.
    if (props.replicas > 0) {
      this.alarms.push(
        dataTierAlarm(this, props.topicArn, {
          id: `replication-lag-${n}`,
          name: `${props.name}-${n}-replication-lag`,
          description: `${props.name} node ${n}: replica more than 5 s behind the primary for 15 minutes`,
          metric: {
            namespace: 'AWS/ElastiCache',
            metricName: 'ReplicationLag',
            dimensions,
            statistic: 'Average',
          },
          comparison: 'GreaterThanThreshold',
          threshold: 5,
          periods: 3,
          treatMissingData: 'notBreaching',
        }),
      );
    }
  }
}

/** Member cluster ids of a replication group with `replicas` replicas. */
export function cacheNodeIds(replicationGroupId: string, replicas: number): string[] {
  return Array.from(
    { length: replicas + 1 },
    (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, '0')}`,
  );
}
