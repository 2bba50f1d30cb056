import {
  AI_METRIC_NAMES,
  AI_METRICS_NAMESPACE,
  type FunctionName,
  QUEUE_NAMES,
  type QueueName,
  resourceName,
} from '@bandup/shared';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import {
  DeadLetterQueueAlarm,
  EventRuleAlarm,
  LambdaFunctionAlarms,
  MetricOccurrenceAlarm,
  QueueAgeAlarm,
  RateAlarm,
  RestApiAlarms,
  UnconsumedQueueAlarm,
} from '../../constructs/observability/serverless-alarms.js';
import { aiServiceName } from './worker-fleet.js';

export interface AiAlarmsProps {
  readonly config: EnvironmentConfig;
  readonly topicArn: string;
  readonly functionNames: readonly FunctionName[];
  /** Visibility timeout of each job queue: a message older than two of them has waited too long. */
  readonly visibilitySeconds: Record<QueueName, number>;
  readonly apiName: string;
  readonly transcribeRuleName: string;
  /** The EventBridge targets' dead-letter queue. */
  readonly eventsDeadLetterQueueName: string;
}

/**
 * The AI service's alarms, all on its alarm topic: every DLQ, every function, the API, the
 * Transcribe rule, and what jobs actually do (queue age, failure rates, stuck jobs, Gemini
 * fallbacks and a missing key, model throttling, undeliverable EventBridge events).
 * Names are literal (not references): readable alarm names in the plan.
 */
export class AiAlarms extends FlatConstruct {
  private readonly props: AiAlarmsProps;

  constructor(scope: Construct, id: string, props: AiAlarmsProps) {
    super(scope, id);
    this.props = props;
    const { topicArn } = props;
    for (const queue of QUEUE_NAMES) {
      new DeadLetterQueueAlarm(this, `${queue}-dlq-alarm`, {
        queueName: `${this.name(queue)}-dlq`,
        topicArn,
      });
    }
    for (const fn of props.functionNames) {
      new LambdaFunctionAlarms(this, `${fn}-alarms`, { functionName: this.name(fn), topicArn });
    }
    new RestApiAlarms(this, 'api-alarms', { apiName: props.apiName, stageName: props.config.name, topicArn });
    new EventRuleAlarm(this, 'transcribe-rule-alarm', { ruleName: props.transcribeRuleName, topicArn });
    this.queueAgeAlarms();
    this.jobAlarms();
    new UnconsumedQueueAlarm(this, 'events-dlq-alarm', {
      queueName: props.eventsDeadLetterQueueName,
      description:
        'EventBridge could not deliver events (a Transcribe state change or a sweeper run); see the replay runbook',
      topicArn,
    });
  }

  private name(suffix: string): string {
    return resourceName(this.props.config.name, suffix);
  }

  private queueAgeAlarms(): void {
    for (const queue of QUEUE_NAMES) {
      // A message is older than its visibility timeout only after a retry; two timeouts (at least
      // 15 minutes) means jobs wait far longer than any run takes.
      new QueueAgeAlarm(this, `${queue}-age-alarm`, {
        queueName: this.name(queue),
        maxAgeSeconds: Math.max(900, 2 * this.props.visibilitySeconds[queue]),
        topicArn: this.props.topicArn,
      });
    }
  }

  /** Alarms on the functions' own metrics (Powertools EMF, dimension `service`). */
  private jobAlarms(): void {
    const { topicArn } = this.props;
    const metric = (metricName: string, fn: FunctionName, dimensions: Record<string, string> = {}) => ({
      namespace: AI_METRICS_NAMESPACE,
      metricName,
      dimensions: { ...dimensions, service: aiServiceName(fn) },
    });
    // Where each kind's jobs finish: Speaking jobs are scored (or fail after transcription) in
    // speaking-finalize; the speaking function only rejects recordings, which are the learner's errors.
    const finishedIn = {
      writing: 'writing',
      flashcards: 'flashcards',
      speaking: 'speaking-finalize',
    } as const;
    for (const kind of ['writing', 'speaking', 'flashcards'] as const) {
      new RateAlarm(this, `${kind}-failure-rate-alarm`, {
        alarmName: this.name(`${kind}-failure-rate`),
        alarmDescription: `${kind} jobs: more than 20% failed in 15 minutes (at least 5 jobs)`,
        part: metric(AI_METRIC_NAMES.jobsFailed, finishedIn[kind], { kind }),
        rest: metric(AI_METRIC_NAMES.jobsSucceeded, finishedIn[kind], { kind }),
        threshold: 0.2,
        minimumCount: 5,
        topicArn,
      });
    }
    new MetricOccurrenceAlarm(this, 'stuck-jobs-alarm', {
      alarmName: this.name('stuck-jobs'),
      alarmDescription:
        'The sweeper resolved jobs past their deadline (a lost message or Transcribe event): find the cause in its logs',
      ...metric(AI_METRIC_NAMES.stuckJobs, 'sweeper'),
      topicArn,
    });
    new RateAlarm(this, 'gemini-fallback-rate-alarm', {
      alarmName: this.name('gemini-fallback-rate'),
      alarmDescription:
        'Flashcard jobs: more than 25% used keyword queries instead of Gemini in 15 minutes (key, model id or quota)',
      part: metric(AI_METRIC_NAMES.geminiFallbacks, 'flashcards'),
      rest: metric(AI_METRIC_NAMES.geminiQueries, 'flashcards'),
      restIsTotal: true,
      threshold: 0.25,
      minimumCount: 4,
      topicArn,
    });
    new MetricOccurrenceAlarm(this, 'gemini-key-missing-alarm', {
      alarmName: this.name('gemini-key-missing'),
      alarmDescription: 'The Gemini API key secret is empty or unset: set it (see the AI workers runbook)',
      ...metric(AI_METRIC_NAMES.geminiKeyMissing, 'flashcards'),
      topicArn,
    });
    for (const fn of ['writing', 'speaking-finalize', 'flashcards'] as const) {
      new MetricOccurrenceAlarm(this, `${fn}-model-throttles-alarm`, {
        alarmName: this.name(`${fn}-bedrock-throttles`),
        alarmDescription: `${fn}: Bedrock kept throttling after the SDK's retries (raise the on-demand quota or lower concurrency)`,
        ...metric(AI_METRIC_NAMES.bedrockThrottles, fn),
        topicArn,
      });
    }
  }
}
