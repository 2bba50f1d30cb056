import { DLQ_RETENTION_SECONDS } from '@bandup/shared';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js';
import { Construct } from 'constructs';
import type { Grantee, PolicyStatement } from '../security/iam/policy-document.js';
import { renderPolicy } from '../security/iam/policy-document.js';
import { denyInsecureQueueTransport } from './queue-policy.js';

/** The key the queues are encrypted with, as far as a consumer needs it. */
export interface EventQueueKey {
  readonly arn: string;
  grantDecrypt(grantee: Grantee): void;
}

export interface EventQueueProps {
  /** `bandup-<env>-<purpose>.fifo`; the DLQ is `<name without .fifo>-dlq.fifo`. */
  readonly name: string;
  readonly key: EventQueueKey;
  /** The SNS FIFO topic that may send to the queue (and to its DLQ, for undeliverable messages). */
  readonly topicArn: string;
  /** Seconds a received event stays invisible to other receivers while the consumer handles it. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before an event moves to the DLQ. */
  readonly maxReceiveCount: number;
  /**
   * Principals (ARN patterns of this account) that may send besides the topic: operators moving
   * dead letters back with a DLQ redrive, which sends with the operator's own permissions.
   */
  readonly replayPrincipalArns?: readonly string[];
}

/** What the consumer does with the queue: receive, delete, extend the visibility, read its attributes. */
const RECEIVE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
];
const RETENTION_SECONDS = 4 * 24 * 3600;

/**
 * A consumer's SQS FIFO queue of events from an SNS FIFO topic, with a FIFO dead-letter queue:
 * SSE-KMS with a customer managed key, long polling, redrive after `maxReceiveCount`, a DLQ kept 14
 * days that admits only this queue's redrive (and the topic's undeliverable messages), and queue
 * policies that refuse non-TLS requests and every sender but the topic.
 */
export class EventQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  private readonly key: EventQueueKey;

  constructor(scope: Construct, id: string, props: EventQueueProps) {
    super(scope, id);
    if (!props.name.endsWith('.fifo')) throw new Error(`FIFO queue name must end in .fifo: ${props.name}`);
    if (
      !Number.isInteger(props.maxReceiveCount) ||
      props.maxReceiveCount < 1 ||
      props.maxReceiveCount > 1000
    ) {
      throw new Error(
        `Queue ${props.name}: maxReceiveCount must be an integer from 1 to 1000, got ${props.maxReceiveCount}`,
      );
    }
    if (props.visibilityTimeoutSeconds < 0 || props.visibilityTimeoutSeconds > 43_200) {
      throw new Error(
        `Queue ${props.name}: visibilityTimeoutSeconds must be 0-43200, got ${props.visibilityTimeoutSeconds}`,
      );
    }
    this.key = props.key;
    const fifo = {
      fifoQueue: true,
      // The publisher sets the deduplication id (the event id); bodies are never compared.
      contentBasedDeduplication: false,
      receiveWaitTimeSeconds: 20,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
    };
    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: `${props.name.replace(/\.fifo$/, '')}-dlq.fifo`,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      ...fifo,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      messageRetentionSeconds: RETENTION_SECONDS,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
      ...fifo,
    });
    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
    new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: renderPolicy(
        topicOnlyStatements(this.queue.arn, props.topicArn, props.replayPrincipalArns ?? []),
      ),
    });
    // The DLQ receives SQS's own redrive and the topic's undeliverable messages; TLS only.
    new SqsQueuePolicy(this, 'dlq-policy', {
      queueUrl: this.deadLetterQueue.url,
      policy: renderPolicy([
        denyInsecureQueueTransport(this.deadLetterQueue.arn),
        topicSends(this.deadLetterQueue.arn, props.topicArn),
      ]),
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }

  get deadLetterArn(): string {
    return this.deadLetterQueue.arn;
  }

  /** Receive, delete, change visibility and read attributes of this queue (not its DLQ), and decrypt. */
  grantReceive(grantee: Grantee): void {
    grantee.addToPolicy({ actions: RECEIVE_ACTIONS, resources: [this.queue.arn] });
    this.key.grantDecrypt(grantee);
  }
}

function topicSends(queueArn: string, topicArn: string): PolicyStatement {
  return {
    sid: 'TopicSends',
    principals: { Service: 'sns.amazonaws.com' },
    actions: ['sqs:SendMessage'],
    resources: [queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': topicArn } },
  };
}

/** TLS only; the topic (by `aws:SourceArn`) and replaying operators may send; everyone else is refused. */
function topicOnlyStatements(
  queueArn: string,
  topicArn: string,
  replayPrincipalArns: readonly string[],
): PolicyStatement[] {
  // Both conditions must hold to refuse: a sender that is not the topic (an absent aws:SourceArn, as
  // in a principal's direct SendMessage, makes ArnNotEquals true) and not a replaying operator.
  const notDeclared: Record<string, Record<string, readonly string[]>> = {
    ArnNotEquals: { 'aws:SourceArn': [topicArn] },
  };
  if (replayPrincipalArns.length > 0)
    notDeclared.ArnNotLike = { 'aws:PrincipalArn': [...replayPrincipalArns] };
  return [
    denyInsecureQueueTransport(queueArn),
    topicSends(queueArn, topicArn),
    {
      sid: 'DenyOtherSenders',
      effect: 'Deny',
      principals: '*',
      actions: ['sqs:SendMessage'],
      resources: [queueArn],
      conditions: notDeclared,
    },
  ];
}
