import { type QueueName, resourceName, transcriptionJobNamePrefix } from '@bandup/shared';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import type { EventTargetDeadLetterQueue } from '../../constructs/serverless/event-target-dead-letter-queue.js';
import type { JobQueue } from '../../constructs/serverless/job-queue.js';

/** The queue Amazon Transcribe's job state changes are delivered to (by EventBridge, not by a function). */
export const TRANSCRIBE_EVENTS_QUEUE: QueueName = 'speaking-finalize';

export interface TranscribeEventsRouteProps {
  readonly config: EnvironmentConfig;
  /** The queue the state changes go to (`TRANSCRIBE_EVENTS_QUEUE`). */
  readonly queue: JobQueue;
  /** Where EventBridge puts events it could not deliver. */
  readonly deadLetterQueue: EventTargetDeadLetterQueue;
}

/**
 * Amazon Transcribe job state changes of this environment's jobs (COMPLETED or FAILED) -> the
 * speaking-finalize queue, by EventBridge: no function polls Transcribe. The queue admits only this
 * rule (aws:SourceArn); what cannot be delivered lands in the events dead-letter queue.
 */
export class TranscribeEventsRoute extends FlatConstruct {
  readonly rule: CloudwatchEventRule;
  /** Known before the rule exists, for the queue policies and the alarm. */
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: TranscribeEventsRouteProps) {
    super(scope, id);
    const { config } = props;
    this.ruleName = resourceName(config.name, 'transcribe-state');
    const ruleArn = `arn:aws:events:${config.region}:${config.accountId}:rule/${this.ruleName}`;
    this.rule = new CloudwatchEventRule(this, 'transcribe-state-rule', {
      name: this.ruleName,
      description: `Amazon Transcribe jobs of bandup ${config.name} that COMPLETED or FAILED, for speaking-finalize`,
      eventPattern: JSON.stringify({
        source: ['aws.transcribe'],
        'detail-type': ['Transcribe Job State Change'],
        detail: {
          TranscriptionJobName: [{ prefix: transcriptionJobNamePrefix(config.name) }],
          TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
        },
      }),
    });
    props.deadLetterQueue.allowRule(ruleArn);
    new CloudwatchEventTarget(this, 'transcribe-state-target', {
      rule: this.rule.name,
      targetId: 'speaking-finalize-queue',
      arn: props.queue.arn,
      // Keep retrying for a day if the queue is unreachable (the FailedInvocations alarm pages).
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: props.deadLetterQueue.arn },
    });
    props.queue.allowSender({ kind: 'service', service: 'events.amazonaws.com', sourceArn: ruleArn });
  }
}
