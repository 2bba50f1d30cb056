import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import { ANY_OCCURRENCE, metricAlarm, type SingleMetric } from './metric-alarm.js';

interface AlarmTarget {
  /** SNS topic notified on ALARM and OK. */
  readonly topicArn: string;
}

/** An alarm on any occurrence of one metric in 5 minutes (the shape of most alarms below). */
function anyOccurrenceIn5Minutes(
  scope: Construct,
  id: string,
  props: AlarmTarget & {
    readonly alarmName: string;
    readonly alarmDescription: string;
    readonly metric: Omit<SingleMetric, 'period'>;
  },
): CloudwatchMetricAlarm {
  return metricAlarm(scope, id, { ...ANY_OCCURRENCE, ...props, metric: { ...props.metric, period: 300 } });
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
    this.alarm = anyOccurrenceIn5Minutes(this, 'alarm', {
      alarmName: `${props.queueName}-received`,
      alarmDescription: `${props.queueName}: messages exhausted their retries and reached the dead-letter queue (archived under dead-letters/; see the replay runbook)`,
      metric: {
        namespace: 'AWS/SQS',
        metricName: 'NumberOfMessagesReceived',
        dimensions: { QueueName: props.queueName },
        statistic: 'Sum',
      },
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
    this.alarm = anyOccurrenceIn5Minutes(this, 'alarm', {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.queueName}: ${props.description}`,
      metric: {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: props.queueName },
        statistic: 'Maximum',
      },
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
    this.alarm = metricAlarm(this, 'alarm', {
      alarmName: `${props.queueName}-message-age`,
      alarmDescription: `${props.queueName}: the oldest message has waited more than ${props.maxAgeSeconds} s (backlog, or the consumer is throttled or failing)`,
      metric: {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: props.queueName },
        statistic: 'Maximum',
        period: 300,
      },
      evaluationPeriods: 2,
      threshold: props.maxAgeSeconds,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      topicArn: props.topicArn,
    });
  }
}

/** One custom metric of the functions (Powertools EMF adds the `service` dimension). */
interface FunctionMetric {
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
    const { namespace, metricName, dimensions, ...alarm } = props;
    this.alarm = anyOccurrenceIn5Minutes(this, 'alarm', {
      ...alarm,
      metric: { namespace, metricName, dimensions, statistic: 'Sum' },
    });
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
    this.alarm = metricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: props.alarmDescription,
      evaluationPeriods: 1,
      threshold: props.threshold,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      topicArn: props.topicArn,
      metric: {
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
      },
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
      anyOccurrenceIn5Minutes(this, suffix, {
        alarmName: `${props.functionName}-${suffix}`,
        alarmDescription: `${props.functionName}: ${description}`,
        metric: {
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: props.functionName },
          statistic: 'Sum',
        },
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
    this.serverErrors = anyOccurrenceIn5Minutes(this, '5xx', {
      alarmName: `${props.apiName}-5xx`,
      alarmDescription: `${props.apiName}: the API answered 5xx in the last 5 minutes`,
      metric: {
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensions: { ApiName: props.apiName, Stage: props.stageName },
        statistic: 'Sum',
      },
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
    this.failedInvocations = anyOccurrenceIn5Minutes(this, 'failed-invocations', {
      alarmName: `${props.ruleName}-failed-invocations`,
      alarmDescription: `${props.ruleName}: events could not be delivered to the target`,
      metric: {
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensions: { RuleName: props.ruleName },
        statistic: 'Sum',
      },
      topicArn: props.topicArn,
    });
  }
}
