import { DLQ_RETENTION_SECONDS } from '@bandup/shared';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { renderPolicy } from '../security/iam/policy-document.js';
import type { QueueKey } from './job-queue.js';
import { denyInsecureQueueTransport } from './queue-policy.js';

export interface EventTargetDeadLetterQueueProps {
  /** `bandup-<env>-events-dlq`. */
  readonly name: string;
  /** The AI key, which admits `events.amazonaws.com` (EventBridge encrypts what it sends). */
  readonly key: QueueKey;
}

/**
 * Where EventBridge puts events it could not deliver to a target after its retries (the target's
 * `dead_letter_config`): a lost Transcribe state change or a missed sweeper run stays here for 14
 * days instead of vanishing. Nothing consumes it; its depth alarm pages. Only the declared rules may
 * send to it.
 */
export class EventTargetDeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  private readonly ruleArns: string[] = [];

  constructor(scope: Construct, id: string, props: EventTargetDeadLetterQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
    });
    new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: Lazy.stringValue({
        produce: () =>
          renderPolicy([
            denyInsecureQueueTransport(this.queue.arn),
            {
              sid: 'DeclaredRulesSendUndeliveredEvents',
              principals: { Service: 'events.amazonaws.com' },
              actions: ['sqs:SendMessage'],
              resources: [this.queue.arn],
              conditions: { ArnEquals: { 'aws:SourceArn': this.ruleArns } },
            },
          ]),
      }),
    });
    this.node.addValidation({
      validate: () =>
        this.ruleArns.length === 0 ? [`Queue ${props.name} has no rule: call allowRule()`] : [],
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  /** Lets one EventBridge rule send its undeliverable events here. */
  allowRule(ruleArn: string): void {
    this.ruleArns.push(ruleArn);
  }
}
