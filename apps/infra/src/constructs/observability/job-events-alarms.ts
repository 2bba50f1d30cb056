import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import { metricAlarm } from './metric-alarm.js';

export interface JobEventsAlarmsProps {
  /** The job-events function (stream consumer). */
  readonly functionName: string;
  /** The SNS FIFO topic's name. */
  readonly topicName: string;
  /** How far behind the stream the consumer may fall before someone is told (milliseconds). */
  readonly maxIteratorAgeMs: number;
  /** SNS topic notified on ALARM and OK. */
  readonly alarmTopicArn: string;
}

/**
 * What can silently delay or lose completion events besides a dead letter: the stream consumer
 * falling behind (stream records expire after 24 hours, so lag is a countdown) and SNS failing to
 * deliver to a subscribed queue.
 */
export class JobEventsAlarms extends Construct {
  readonly iteratorAge: CloudwatchMetricAlarm;
  readonly deliveryFailures: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: JobEventsAlarmsProps) {
    super(scope, id);
    this.iteratorAge = metricAlarm(this, 'iterator-age', {
      alarmName: `${props.functionName}-iterator-age`,
      alarmDescription: `${props.functionName}: completion events lag the jobs table stream by more than ${Math.round(props.maxIteratorAgeMs / 60_000)} minutes (records expire after 24 hours)`,
      metric: {
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensions: { FunctionName: props.functionName },
        statistic: 'Maximum',
        period: 300,
      },
      evaluationPeriods: 1,
      threshold: props.maxIteratorAgeMs,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      topicArn: props.alarmTopicArn,
    });
    this.deliveryFailures = metricAlarm(this, 'delivery-failures', {
      alarmName: `${props.topicName.replace(/\.fifo$/, '')}-delivery-failures`,
      alarmDescription: `${props.topicName}: SNS could not deliver completion events to a subscribed queue (they went to its DLQ)`,
      metric: {
        namespace: 'AWS/SNS',
        metricName: 'NumberOfNotificationsFailed',
        dimensions: { TopicName: props.topicName },
        statistic: 'Sum',
        period: 300,
      },
      evaluationPeriods: 1,
      threshold: 0,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      topicArn: props.alarmTopicArn,
    });
  }
}
