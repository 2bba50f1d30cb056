import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import type { Grantee, PolicyStatement } from '../security/iam/policy-document.js';
import { renderPolicy } from '../security/iam/policy-document.js';

/** The key the topic is encrypted with, as far as the topic needs it. */
export interface TopicKey {
  readonly arn: string;
  grantEncryptDecrypt(grantee: Grantee): void;
}

export interface JobEventsTopicProps {
  /** `bandup-<env>-job-events.fifo`. */
  readonly name: string;
  readonly key: TopicKey;
}

/** A FIFO queue the topic delivers to (raw message delivery). */
export interface TopicSubscriberQueue {
  readonly arn: string;
  /** Messages SNS could not deliver to the queue (a FIFO queue too) go here. */
  readonly deadLetterArn: string;
}

/**
 * The SNS FIFO topic of job completion events. FIFO because it deduplicates on the publisher's
 * `MessageDeduplicationId` (`<jobId>:<status>`) for five minutes and fans out to SQS FIFO queues,
 * which deduplicate again: a stream record retried by Lambda reaches a subscriber once. Content-based
 * deduplication is off: the id is explicit, so two different events can never collide on equal bodies.
 *
 * SSE-KMS with a customer managed key; the policy refuses non-TLS requests and any publisher that
 * is not declared with `grantPublish` (a Deny, so broad IAM policies elsewhere in the account cannot
 * inject events the backend would trust).
 */
export class JobEventsTopic extends Construct {
  readonly topic: SnsTopic;
  private readonly key: TopicKey;
  private readonly publishers: string[] = [];

  constructor(scope: Construct, id: string, props: JobEventsTopicProps) {
    super(scope, id);
    if (!props.name.endsWith('.fifo')) throw new Error(`FIFO topic name must end in .fifo: ${props.name}`);
    this.key = props.key;
    this.topic = new SnsTopic(this, 'topic', {
      name: props.name,
      fifoTopic: true,
      contentBasedDeduplication: false,
      kmsMasterKeyId: props.key.arn,
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: Lazy.stringValue({ produce: () => renderPolicy(this.policyStatements()) }),
    });
    this.node.addValidation({
      validate: () => (this.publishers.length === 0 ? [`Topic ${props.name} has no publisher`] : []),
    });
  }

  get arn(): string {
    return this.topic.arn;
  }

  /** `sns:Publish` on this topic (IAM) and the publisher's declaration in the topic policy. */
  grantPublish(grantee: Grantee & { readonly arn: string }): void {
    grantee.addToPolicy({ actions: ['sns:Publish'], resources: [this.topic.arn] });
    this.key.grantEncryptDecrypt(grantee);
    this.publishers.push(grantee.arn);
  }

  /**
   * Subscribes a FIFO queue with raw message delivery (the body is the event itself) and a
   * redrive policy: what SNS cannot deliver (e.g. the queue's key refuses it) goes to the queue's DLQ.
   */
  subscribeQueue(id: string, queue: TopicSubscriberQueue): SnsTopicSubscription {
    return new SnsTopicSubscription(this, id, {
      topicArn: this.topic.arn,
      protocol: 'sqs',
      endpoint: queue.arn,
      rawMessageDelivery: true,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.deadLetterArn }),
    });
  }

  private policyStatements(): PolicyStatement[] {
    const statements: PolicyStatement[] = [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: '*',
        actions: ['sns:Publish', 'sns:Subscribe'],
        resources: [this.topic.arn],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ];
    if (this.publishers.length > 0) {
      statements.push({
        sid: 'DenyUndeclaredPublishers',
        effect: 'Deny',
        principals: '*',
        actions: ['sns:Publish'],
        resources: [this.topic.arn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...this.publishers] } },
      });
    }
    return statements;
  }
}
