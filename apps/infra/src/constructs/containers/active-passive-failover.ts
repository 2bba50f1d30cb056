import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js';
import type { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import { metricAlarm, type SingleMetric } from '../observability/metric-alarm.js';
import { ALARM_PERIOD_SECONDS, failoverAlarmSettings, type TaskReplacement } from './failover-headroom.js';

export interface ActivePassiveFailoverProps {
  /** `bandup-<env>-<app>`: names the alarms and policies. */
  readonly name: string;
  /** Scalable target of the standby service (second AZ). */
  readonly standby: AppautoscalingTarget;
  /** AZ the primary service runs in; the alarm watches the target group's healthy hosts there. */
  readonly primaryAvailabilityZone: string;
  /** The primary's minimum size (its own autoscaling never goes lower); the threshold derives from it. */
  readonly primaryMinimumHealthy: number;
  /** How long one primary task replacement keeps a task out of the healthy count. */
  readonly replacement: TaskReplacement;
  /** Tasks the standby runs while the primary is failed: the primary's maximum (see failover-headroom.ts). */
  readonly failoverCount: number;
  /** Tasks the standby runs while the primary is healthy (0 or 1). */
  readonly warmCount: number;
  /** `arn_suffix` of the shared target group and of its load balancer (CloudWatch dimensions). */
  readonly targetGroupArnSuffix: string;
  readonly loadBalancerArnSuffix: string;
  /** Operators are told when failover starts and ends. */
  readonly notificationTopicArn: string;
  /** Minutes the primary must be healthy again before the standby returns to warm (default 10). */
  readonly recoverAfterMinutes?: number;
}

/**
 * Active-passive failover with no custom code: a CloudWatch alarm on the shared target group's
 * `HealthyHostCount` in the primary's AZ drives an Application Auto Scaling step policy that sets
 * the standby service to exactly the primary's size (`ExactCapacity`); a second alarm, once the
 * primary AZ is healthy again for a while, sets the standby back to its warm count.
 */
export class ActivePassiveFailover extends Construct {
  readonly failoverAlarm: CloudwatchMetricAlarm;
  readonly recoveryAlarm: CloudwatchMetricAlarm;
  readonly failoverPolicy: AppautoscalingPolicy;
  readonly recoveryPolicy: AppautoscalingPolicy;
  /** The derived failover threshold and window. */
  readonly settings: ReturnType<typeof failoverAlarmSettings>;

  constructor(scope: Construct, id: string, props: ActivePassiveFailoverProps) {
    super(scope, id);
    if (props.failoverCount <= props.warmCount) {
      throw new Error(
        `${props.name}: failover count (${props.failoverCount}) must exceed the warm count (${props.warmCount})`,
      );
    }
    if (props.primaryMinimumHealthy < 1)
      throw new Error(`${props.name}: the primary's minimum healthy count must be at least 1`);
    this.settings = failoverAlarmSettings(props.primaryMinimumHealthy, props.replacement);
    const { threshold, evaluationPeriods: failoverMinutes } = this.settings;
    const recoverMinutes = props.recoverAfterMinutes ?? 10;

    const stepPolicy = (key: string, capacity: number, bound: 'below' | 'above') =>
      new AppautoscalingPolicy(this, `${key}-policy`, {
        name: `${props.name}-standby-${key}`,
        policyType: 'StepScaling',
        serviceNamespace: props.standby.serviceNamespace,
        scalableDimension: props.standby.scalableDimension,
        resourceId: props.standby.resourceId,
        stepScalingPolicyConfiguration: {
          adjustmentType: 'ExactCapacity',
          cooldown: 60,
          metricAggregationType: 'Minimum',
          // Step bounds are relative to the alarm threshold: one step covers the whole breach side.
          stepAdjustment: [
            bound === 'below'
              ? { metricIntervalUpperBound: '0', scalingAdjustment: capacity }
              : { metricIntervalLowerBound: '0', scalingAdjustment: capacity },
          ],
        },
      });
    this.failoverPolicy = stepPolicy('failover', props.failoverCount, 'below');
    this.recoveryPolicy = stepPolicy('recovery', props.warmCount, 'above');

    const metric: SingleMetric = {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions: {
        TargetGroup: props.targetGroupArnSuffix,
        LoadBalancer: props.loadBalancerArnSuffix,
        AvailabilityZone: props.primaryAvailabilityZone,
      },
      statistic: 'Minimum',
      period: ALARM_PERIOD_SECONDS,
    };
    this.failoverAlarm = metricAlarm(this, 'failover-alarm', {
      metric,
      // One below the primary's minimum (or a window longer than a replacement for a one-task primary).
      threshold,
      alarmName: `${props.name}-primary-az-unhealthy`,
      alarmDescription:
        `Fewer than ${threshold} healthy ${props.name} targets in ${props.primaryAvailabilityZone} ` +
        `for ${failoverMinutes} min: the standby service is scaled to ${props.failoverCount} tasks.`,
      comparison: 'LessThanThreshold',
      evaluationPeriods: failoverMinutes,
      datapointsToAlarm: failoverMinutes,
      // A lost AZ or a target group with no registered primary reports no data: that is a failure.
      treatMissingData: 'breaching',
      topicArn: props.notificationTopicArn,
      alsoOnAlarm: [this.failoverPolicy.arn],
    });
    // Not a page: this alarm only hands the standby back to its warm count, so it is a plain alarm
    // with the scaling policy as its one action (the failover alarm's OK already tells the operators).
    this.recoveryAlarm = new CloudwatchMetricAlarm(this, 'recovery-alarm', {
      ...metric,
      dimensions: { ...metric.dimensions },
      // Recovered means the whole minimum is back, not just above the failure threshold.
      threshold: props.primaryMinimumHealthy,
      alarmName: `${props.name}-primary-az-recovered`,
      alarmDescription:
        `At least ${props.primaryMinimumHealthy} healthy ${props.name} targets in ${props.primaryAvailabilityZone} ` +
        `for ${recoverMinutes} min: the standby service returns to its warm count (${props.warmCount}).`,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: recoverMinutes,
      datapointsToAlarm: recoverMinutes,
      // Missing data never counts as recovered.
      treatMissingData: 'notBreaching',
      alarmActions: [this.recoveryPolicy.arn],
    });
  }
}
