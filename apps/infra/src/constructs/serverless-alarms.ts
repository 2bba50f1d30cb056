import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';

interface AlarmTarget {
  /** SNS topic notified on ALARM and OK. */
  readonly topicArn: string;
}

export interface DeadLetterQueueAlarmProps extends AlarmTarget {
  readonly queueName: string;
}

/**
 * Any message in a DLQ: a job exhausted its retries. The dead-letter function marks it FAILED and
 * archives it, but an operator must still learn why (a poison message, a dependency outage).
 */
export class DeadLetterQueueAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueAlarmProps) {
    super(scope, id);
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.queueName}: messages exhausted their retries and reached the dead-letter queue`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.queueName },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}

export interface LambdaFunctionAlarmsProps extends AlarmTarget {
  readonly functionName: string;
}

/** Errors (any in 5 minutes) and throttles (any in 5 minutes) of one function. */
export class LambdaFunctionAlarms extends Construct {
  readonly errors: CloudwatchMetricAlarm;
  readonly throttles: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: LambdaFunctionAlarmsProps) {
    super(scope, id);
    const alarm = (suffix: string, metricName: string, description: string) =>
      new CloudwatchMetricAlarm(this, suffix, {
        alarmName: `${props.functionName}-${suffix}`,
        alarmDescription: `${props.functionName}: ${description}`,
        namespace: 'AWS/Lambda',
        metricName,
        dimensions: { FunctionName: props.functionName },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
      });
    this.errors = alarm('errors', 'Errors', 'invocations failed (unhandled errors or timeouts) in 5 minutes');
    this.throttles = alarm(
      'throttles',
      'Throttles',
      'invocations were throttled in 5 minutes (reserved concurrency or account limit reached)',
    );
  }
}

export interface RestApiAlarmsProps extends AlarmTarget {
  readonly apiName: string;
  readonly stageName: string;
}

/** Any 5xx answer of the API stage in 5 minutes (integration failures, Lambda errors, timeouts). */
export class RestApiAlarms extends Construct {
  readonly serverErrors: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: RestApiAlarmsProps) {
    super(scope, id);
    this.serverErrors = new CloudwatchMetricAlarm(this, '5xx', {
      alarmName: `${props.apiName}-5xx`,
      alarmDescription: `${props.apiName}: the API answered 5xx in the last 5 minutes`,
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensions: { ApiName: props.apiName, Stage: props.stageName },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}

export interface EventRuleAlarmProps extends AlarmTarget {
  readonly ruleName: string;
}

/** Any event an EventBridge rule failed to deliver to its target (a Speaking job would wait forever). */
export class EventRuleAlarm extends Construct {
  readonly failedInvocations: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: EventRuleAlarmProps) {
    super(scope, id);
    this.failedInvocations = new CloudwatchMetricAlarm(this, 'failed-invocations', {
      alarmName: `${props.ruleName}-failed-invocations`,
      alarmDescription: `${props.ruleName}: events could not be delivered to the target`,
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensions: { RuleName: props.ruleName },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}
