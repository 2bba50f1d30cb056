import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import type { Construct } from 'constructs';

/** One metric, judged by one statistic per period. */
export interface SingleMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Average' | 'Minimum' | 'Maximum' | 'Sum';
  /** Seconds. */
  readonly period: number;
}

/** Metric math: the query with `returnData: true` is the value judged. */
interface MetricMath {
  readonly metricQuery: readonly CloudwatchMetricAlarmMetricQuery[];
}

export interface MetricAlarmProps {
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly metric: SingleMetric | MetricMath;
  readonly comparison:
    | 'GreaterThanThreshold'
    | 'GreaterThanOrEqualToThreshold'
    | 'LessThanThreshold'
    | 'LessThanOrEqualToThreshold';
  readonly threshold: number;
  /** Periods looked at; the alarm fires when `datapointsToAlarm` of them (default: all) breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  /** What a period without data counts as; stated at every call, as it decides whether silence pages. */
  readonly treatMissingData: 'missing' | 'notBreaching' | 'breaching';
  /** SNS topic told when the alarm fires and when it recovers. */
  readonly topicArn: string;
  /** Automation the alarm also triggers when it fires (e.g. a scaling policy), before the page. */
  readonly alsoOnAlarm?: readonly string[];
}

/**
 * Every CloudWatch alarm that pages the operators: it notifies its topic on ALARM and on OK, so a
 * page is always followed by its all-clear. Created directly in `scope` (no wrapping construct), so
 * callers keep the logical ids their alarms already have.
 */
export function metricAlarm(scope: Construct, id: string, props: MetricAlarmProps): CloudwatchMetricAlarm {
  const { metric, comparison, topicArn, alsoOnAlarm = [], ...rest } = props;
  return new CloudwatchMetricAlarm(scope, id, {
    ...rest,
    ...('metricQuery' in metric
      ? { metricQuery: [...metric.metricQuery] }
      : { ...metric, dimensions: { ...metric.dimensions } }),
    comparisonOperator: comparison,
    alarmActions: [...alsoOnAlarm, topicArn],
    okActions: [topicArn],
  });
}

/**
 * One occurrence is one too many (a dead letter, a failed invocation, a 5xx): above zero in a single
 * period; no data means nothing happened.
 */
export const ANY_OCCURRENCE = {
  comparison: 'GreaterThanThreshold',
  threshold: 0,
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
} as const satisfies Partial<MetricAlarmProps>;
