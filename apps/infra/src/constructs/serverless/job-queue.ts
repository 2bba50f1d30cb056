import { DLQ_RETENTION_SECONDS } from '@bandup/shared';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import type { Grantee, PolicyStatement } from '../security/iam/policy-document.js';
import { renderPolicy } from '../security/iam/policy-document.js';
import { denyInsecureQueueTransport } from './queue-policy.js';

/** The KMS key a queue is encrypted with, as far as a queue needs it. */
export interface QueueKey {
  readonly arn: string;
  grantEncryptDecrypt(grantee: Grantee): void;
  grantDecrypt(grantee: Grantee): void;
}

/** A principal allowed to send messages to the queue (the queue policy refuses everyone else). */
export type QueueSender =
  /** An IAM role of this account, by ARN. */
  | { readonly kind: 'role'; readonly arn: string }
  /** An AWS service principal acting for one resource (e.g. an EventBridge rule), by its ARN. */
  | { readonly kind: 'service'; readonly service: string; readonly sourceArn: string }
  /**
   * Principals of this account (ARN or ARN pattern) that the policy does not refuse, e.g. operators
   * replaying dead letters. Their own IAM policies must still allow `sqs:SendMessage`.
   */
  | { readonly kind: 'operator'; readonly arnPattern: string };

export interface JobQueueProps {
  /** Queue name `bandup-<env>-<kind>`; the DLQ is `<name>-dlq`. */
  readonly name: string;
  readonly key: QueueKey;
  readonly visibilityTimeoutSeconds: number;
  /** Visibility timeout of the DLQ (its consumer is the dead-letter function). */
  readonly deadLetterVisibilityTimeoutSeconds: number;
  /** Receives before a message moves to the DLQ (`config.ai.maxReceiveCount`). */
  readonly maxReceiveCount: number;
  /** Retention of the source queue (default 4 days); must stay below the DLQ's 14 days. */
  readonly messageRetentionSeconds?: number;
  /** Seconds a KMS data key is reused (fewer KMS calls; 60-86400, default 300). */
  readonly kmsDataKeyReusePeriodSeconds?: number;
}

const SQS_MAX_MESSAGE_BYTES = 262_144;
/** Long polling: a receive waits up to 20 s for a message instead of returning empty at once. */
const RECEIVE_WAIT_SECONDS = 20;
const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
];

/**
 * A standard SQS queue with its dead-letter queue: SSE-KMS with a customer managed key, long
 * polling, a redrive policy after `maxReceiveCount` receives, a DLQ that admits only this queue
 * (redrive allow policy) and keeps messages 14 days, and queue policies that refuse anything not
 * over TLS and any sender other than the ones declared with `allowSender`.
 */
export class JobQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  private readonly key: QueueKey;
  private readonly senders: QueueSender[] = [];

  constructor(scope: Construct, id: string, props: JobQueueProps) {
    super(scope, id);
    this.key = props.key;
    const retention = props.messageRetentionSeconds ?? 4 * 24 * 3600;
    if (retention >= DLQ_RETENTION_SECONDS) {
      // SQS keeps a message's original enqueue time when it moves to a DLQ: a DLQ that keeps
      // messages no longer than the source would drop them as soon as they arrive.
      throw new Error(
        `Queue ${props.name}: messageRetentionSeconds (${retention}) must be shorter than the DLQ retention (${DLQ_RETENTION_SECONDS})`,
      );
    }
    if (
      !Number.isInteger(props.maxReceiveCount) ||
      props.maxReceiveCount < 1 ||
      props.maxReceiveCount > 1000
    ) {
      throw new Error(
        `Queue ${props.name}: maxReceiveCount must be an integer from 1 to 1000, got ${props.maxReceiveCount}`,
      );
    }
    const encryption = {
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: props.kmsDataKeyReusePeriodSeconds ?? 300,
    };

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: `${props.name}-dlq`,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      visibilityTimeoutSeconds: props.deadLetterVisibilityTimeoutSeconds,
      receiveWaitTimeSeconds: RECEIVE_WAIT_SECONDS,
      maxMessageSize: SQS_MAX_MESSAGE_BYTES,
      ...encryption,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      messageRetentionSeconds: retention,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: RECEIVE_WAIT_SECONDS,
      maxMessageSize: SQS_MAX_MESSAGE_BYTES,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
      ...encryption,
    });
    // A separate resource (not the DLQ's inline attribute): the DLQ would otherwise reference the
    // source queue, which already references the DLQ, and Terraform would see a cycle.
    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });

    new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: Lazy.stringValue({ produce: () => renderPolicy(this.queuePolicyStatements()) }),
    });
    new SqsQueuePolicy(this, 'dlq-policy', {
      queueUrl: this.deadLetterQueue.url,
      policy: renderPolicy([denyInsecureQueueTransport(this.deadLetterQueue.arn)]),
    });
    this.node.addValidation({
      validate: () =>
        this.senders.length === 0 ? [`Queue ${props.name} has no sender: call allowSender()`] : [],
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }

  get name(): string {
    return this.queue.name;
  }

  get deadLetterArn(): string {
    return this.deadLetterQueue.arn;
  }

  get deadLetterName(): string {
    return this.deadLetterQueue.name;
  }

  /** Declares a sender in the queue policy. Roles still need `grantSend` (IAM) as well. */
  allowSender(sender: QueueSender): void {
    this.senders.push(sender);
  }

  /** `sqs:SendMessage` on this queue, with the key use SSE-KMS needs (data key generation). */
  grantSend(grantee: Grantee): void {
    grantee.addToPolicy({ actions: ['sqs:SendMessage'], resources: [this.queue.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }

  /** What a Lambda event source mapping needs to poll this queue (receive, delete, extend, read attributes). */
  grantConsume(grantee: Grantee): void {
    grantee.addToPolicy({ actions: CONSUME_ACTIONS, resources: [this.queue.arn] });
    this.key.grantDecrypt(grantee);
  }

  /** The same on the dead-letter queue (the dead-letter function). */
  grantConsumeDeadLetters(grantee: Grantee): void {
    grantee.addToPolicy({ actions: CONSUME_ACTIONS, resources: [this.deadLetterQueue.arn] });
    this.key.grantDecrypt(grantee);
  }

  private queuePolicyStatements(): PolicyStatement[] {
    const roles = this.senders.flatMap((s) => (s.kind === 'role' ? [s.arn] : []));
    const services = this.senders.flatMap((s) => (s.kind === 'service' ? [s] : []));
    const operators = this.senders.flatMap((s) => (s.kind === 'operator' ? [s.arnPattern] : []));
    const statements: PolicyStatement[] = [denyInsecureQueueTransport(this.queue.arn)];
    if (roles.length > 0) {
      statements.push({
        sid: 'DeclaredRolesSend',
        principals: { AWS: roles },
        actions: ['sqs:SendMessage'],
        resources: [this.queue.arn],
      });
    }
    services.forEach((s, i) => {
      statements.push({
        sid: `ServiceSends${i}`,
        principals: { Service: s.service },
        actions: ['sqs:SendMessage'],
        resources: [this.queue.arn],
        conditions: { ArnEquals: { 'aws:SourceArn': s.sourceArn } },
      });
    });
    // An Allow alone would not stop other principals of the account whose IAM policies allow
    // SendMessage: refuse every sender that is neither a declared role or operator nor a declared
    // source. (ArnNotLike: operator entries may be patterns, e.g. an SSO permission set's roles.)
    // (A condition key that is absent makes a negated operator true, so both must fail to match.)
    const notDeclared: Record<string, Record<string, readonly string[]>> = {};
    const principals = [...roles, ...operators];
    if (principals.length > 0) notDeclared.ArnNotLike = { 'aws:PrincipalArn': principals };
    if (services.length > 0) {
      notDeclared.ArnNotLike = {
        ...(notDeclared.ArnNotLike ?? {}),
        'aws:SourceArn': services.map((s) => s.sourceArn),
      };
    }
    if (Object.keys(notDeclared).length > 0) {
      statements.push({
        sid: 'DenyUndeclaredSenders',
        effect: 'Deny',
        principals: '*',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.arn],
        conditions: notDeclared,
      });
    }
    return statements;
  }
}
