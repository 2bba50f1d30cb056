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
 * Any message reaching a DLQ: a job exhausted its retries. The dead-letter function drains each DLQ
 * within seconds (it marks the job FAILED and archives the message), so the queue's depth stays
 * at zero; what it cannot hide is that it *received* messages, so that is what is watched.
 */
export class DeadLetterQueueAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueAlarmProps) {
    super(scope, id);
    this.alarm = anyOccurrenceAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-received`,
      alarmDescription: `${props.queueName}: messages exhausted their retries and reached the dead-letter queue (archived under dead-letters/; see the replay runbook)`,
      namespace: 'AWS/SQS',
      metricName: 'NumberOfMessagesReceived',
      dimensions: { QueueName: props.queueName },
      statistic: 'Sum',
      period: 300,
      topicArn: props.topicArn,
    });
  }
}

export interface UnconsumedQueueAlarmProps extends AlarmTarget {
  readonly queueName: string;
  readonly description: string;
}

/** Any message visible in a queue nothing consumes (the EventBridge targets' dead-letter queue). */
export class UnconsumedQueueAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: UnconsumedQueueAlarmProps) {
    super(scope, id);
    this.alarm = anyOccurrenceAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.queueName}: ${props.description}`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.queueName },
      statistic: 'Maximum',
      period: 300,
      topicArn: props.topicArn,
    });
  }
}

export interface QueueAgeAlarmProps extends AlarmTarget {
  readonly queueName: string;
  /** Alarm when the oldest message is older than this (a backlog, or consumers not running). */
  readonly maxAgeSeconds: number;
}

/** The oldest message of a job queue waits too long: jobs are not being picked up. */
export class QueueAgeAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QueueAgeAlarmProps) {
    super(scope, id);
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-message-age`,
      alarmDescription: `${props.queueName}: the oldest message has waited more than ${props.maxAgeSeconds} s (backlog, or the consumer is throttled or failing)`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: props.queueName },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      threshold: props.maxAgeSeconds,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}

/** One custom metric of the functions (Powertools EMF adds the `service` dimension). */
export interface FunctionMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

export interface MetricOccurrenceAlarmProps extends AlarmTarget, FunctionMetric {
  readonly alarmName: string;
  readonly alarmDescription: string;
}

/** Any occurrence of a custom metric in 5 minutes (stuck jobs, a missing Gemini key, throttles). */
export class MetricOccurrenceAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricOccurrenceAlarmProps) {
    super(scope, id);
    this.alarm = anyOccurrenceAlarm(this, 'alarm', { ...props, statistic: 'Sum', period: 300 });
  }
}

export interface RateAlarmProps extends AlarmTarget {
  readonly alarmName: string;
  readonly alarmDescription: string;
  /** The events counted against the total (failures, fallbacks). */
  readonly part: FunctionMetric;
  /** Everything else that happened (successes; for a fallback rate, the Gemini attempts). */
  readonly rest: FunctionMetric;
  /** `part` counts towards the total too (`rest` excludes it) unless `restIsTotal`. */
  readonly restIsTotal?: boolean;
  /** Alarm above this share (0-1) of the total over 15 minutes. */
  readonly threshold: number;
  /** Fewer events than this in 15 minutes are too few to judge a rate. */
  readonly minimumCount: number;
}

/**
 * A rate over 15 minutes (metric math), e.g. the share of jobs that failed or of flashcard jobs
 * that fell back to keyword queries, judged only once enough happened.
 */
export class RateAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: RateAlarmProps) {
    super(scope, id);
    const metric = (queryId: string, m: FunctionMetric) => ({
      id: queryId,
      returnData: false,
      metric: { ...m, period: 900, stat: 'Sum' },
    });
    const total = props.restIsTotal ? 'FILL(rest, 0)' : '(FILL(part, 0) + FILL(rest, 0))';
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: props.alarmDescription,
      evaluationPeriods: 1,
      threshold: props.threshold,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      metricQuery: [
        metric('part', props.part),
        metric('rest', props.rest),
        {
          id: 'rate',
          returnData: true,
          label: props.alarmName,
          expression: `IF(${total} >= ${props.minimumCount}, FILL(part, 0) / ${total}, 0)`,
        },
      ],
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
