import { DLQ_RETENTION_SECONDS } from '@bandup/shared';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import type { Grantee } from '../security/iam/policy-document.js';
import { renderPolicy } from '../security/iam/policy-document.js';
import { denyInsecureQueueTransport } from './queue-policy.js';

/** The key the queue is encrypted with, as far as its sender needs it. */
export interface FailureQueueKey {
  readonly arn: string;
  grantEncryptDecrypt(grantee: Grantee): void;
}

export interface StreamFailureQueueProps {
  /** `bandup-<env>-<function>-failures`. */
  readonly name: string;
  readonly key: FailureQueueKey;
}

/**
 * The on-failure destination of a stream event source mapping: a standard SQS queue (stream
 * mappings cannot send to FIFO queues) where Lambda records each batch it gave up on: the shard,
 * the first and last sequence numbers and why. Kept 14 days; the records themselves stay in the
 * stream for 24 hours, which is the operator's window to replay them (docs/ai-stack.md).
 * SSE-KMS; TLS only; only the function's role (Lambda sends with it) may send.
 */
export class StreamFailureQueue extends Construct {
  readonly queue: SqsQueue;
  private readonly key: FailureQueueKey;
  private readonly senders: string[] = [];

  constructor(scope: Construct, id: string, props: StreamFailureQueueProps) {
    super(scope, id);
    this.key = props.key;
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      receiveWaitTimeSeconds: 20,
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
              sid: 'DenyOtherSenders',
              effect: 'Deny',
              principals: '*',
              actions: ['sqs:SendMessage'],
              resources: [this.queue.arn],
              conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...this.senders] } },
            },
          ]),
      }),
    });
    this.node.addValidation({
      validate: () =>
        this.senders.length === 0 ? [`Queue ${props.name} has no sender: call grantSend()`] : [],
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get name(): string {
    return this.queue.name;
  }

  /** Lambda sends a mapping's failure records with the function's execution role. */
  grantSend(grantee: Grantee & { readonly arn: string }): void {
    grantee.addToPolicy({ actions: ['sqs:SendMessage'], resources: [this.queue.arn] });
    this.key.grantEncryptDecrypt(grantee);
    this.senders.push(grantee.arn);
  }
}
