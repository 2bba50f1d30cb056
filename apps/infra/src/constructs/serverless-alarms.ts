import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';

interface AlarmTarget {
  /** SNS topic notified on ALARM and OK. */
  readonly topicArn: string;
}

/** What differs between the "anything at all happened" alarms below; the rest is shared. */
interface AnyOccurrence extends AlarmTarget {
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Sum' | 'Maximum';
  readonly period: number;
}

/**
 * One occurrence is one too many (a dead letter, a failed invocation, a 5xx): alarm above zero in a
 * single period; no data means nothing happened; notify on ALARM and on recovery.
 */
function anyOccurrenceAlarm(scope: Construct, id: string, props: AnyOccurrence): CloudwatchMetricAlarm {
  const { topicArn, ...metric } = props;
  return new CloudwatchMetricAlarm(scope, id, {
    ...metric,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    alarmActions: [topicArn],
    okActions: [topicArn],
  });
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
    this.alarm = anyOccurrenceAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.queueName}: messages exhausted their retries and reached the dead-letter queue`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.queueName },
      statistic: 'Maximum',
      period: 60,
      topicArn: props.topicArn,
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
      anyOccurrenceAlarm(this, suffix, {
        alarmName: `${props.functionName}-${suffix}`,
        alarmDescription: `${props.functionName}: ${description}`,
        namespace: 'AWS/Lambda',
        metricName,
        dimensions: { FunctionName: props.functionName },
        statistic: 'Sum',
        period: 300,
        topicArn: props.topicArn,
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
    this.serverErrors = anyOccurrenceAlarm(this, '5xx', {
      alarmName: `${props.apiName}-5xx`,
      alarmDescription: `${props.apiName}: the API answered 5xx in the last 5 minutes`,
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensions: { ApiName: props.apiName, Stage: props.stageName },
      statistic: 'Sum',
      period: 300,
      topicArn: props.topicArn,
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
    this.failedInvocations = anyOccurrenceAlarm(this, 'failed-invocations', {
      alarmName: `${props.ruleName}-failed-invocations`,
      alarmDescription: `${props.ruleName}: events could not be delivered to the target`,
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensions: { RuleName: props.ruleName },
      statistic: 'Sum',
      period: 300,
      topicArn: props.topicArn,
    });
  }
}
