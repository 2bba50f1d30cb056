import { type StreamTrigger, TERMINAL_JOB_WRITE_FILTER } from '@bandup/shared';
import { Construct } from 'constructs';
import type { JobsTable } from '../data/jobs-table.js';
import { JobEventsAlarms } from '../observability/job-events-alarms.js';
import { UnconsumedQueueAlarm } from '../observability/serverless-alarms.js';
import type { Grantee } from '../security/iam/policy-document.js';
import { EncryptionKey } from '../security/kms-key.js';
import { EventQueue } from './event-queue.js';
import { JobEventsTopic } from './job-events-topic.js';
import { StreamFailureQueue } from './stream-failure-queue.js';
import type { WorkerFunction } from './worker-function.js';

export interface JobCompletionEventsProps {
  readonly accountId: string;
  readonly region: string;
  /** `suffix -> bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly environmentName: string;
  /** Alarm notifications (the AI stack's alarm topic). */
  readonly alarmTopicArn: string;
  /** Seconds the backend has to handle an event before another receive sees it again. */
  readonly backendVisibilityTimeoutSeconds: number;
  /** Receives of one event before it moves to the backend queue's DLQ. */
  readonly backendMaxReceiveCount: number;
  /** Operators (ARN patterns) who may move dead events back to the backend queue. */
  readonly replayPrincipalArns: readonly string[];
  readonly protect: boolean;
}

/** Lag of the stream consumer that pages (stream records expire after 24 hours). */
const MAX_ITERATOR_AGE_MS = 15 * 60 * 1000;

/**
 * Job completion events (docs/ai-stack.md, "Completion events"): the jobs table stream -> the
 * job-events function -> an SNS FIFO topic -> the backend's SQS FIFO queue (with a FIFO DLQ), all
 * encrypted with a key of their own so that the backend, which must decrypt its queue, is granted
 * nothing that also opens the AI service's job queues, Lambda environments or artifacts.
 */
export class JobCompletionEvents extends Construct {
  readonly key: EncryptionKey;
  readonly topic: JobEventsTopic;
  readonly backendQueue: EventQueue;
  readonly failureQueue: StreamFailureQueue;

  constructor(scope: Construct, id: string, props: JobCompletionEventsProps) {
    super(scope, id);
    const topicName = props.resourceName('job-events.fifo');
    const topicArn = `arn:aws:sns:${props.region}:${props.accountId}:${topicName}`;
    this.key = new EncryptionKey(this, 'key', {
      accountId: props.accountId,
      region: props.region,
      alias: props.resourceName('job-events'),
      description: `Bandup ${props.environmentName}: job completion events (topic, backend queue, stream failures)`,
      viaServices: ['sns', 'sqs'],
      servicePrincipals: [
        // SNS encrypts what it delivers to the KMS-encrypted FIFO queues with this key itself.
        {
          principal: 'sns.amazonaws.com',
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          conditions: { ArnEquals: { 'aws:SourceArn': topicArn } },
        },
      ],
      preventDestroy: props.protect,
    });
    this.topic = new JobEventsTopic(this, 'topic', { name: topicName, key: this.key });
    this.backendQueue = new EventQueue(this, 'backend-queue', {
      name: props.resourceName('backend-job-events.fifo'),
      key: this.key,
      topicArn: this.topic.arn,
      visibilityTimeoutSeconds: props.backendVisibilityTimeoutSeconds,
      maxReceiveCount: props.backendMaxReceiveCount,
      replayPrincipalArns: props.replayPrincipalArns,
    });
    this.topic.subscribeQueue('backend-subscription', this.backendQueue);
    this.failureQueue = new StreamFailureQueue(this, 'stream-failures', {
      name: props.resourceName('job-events-failures'),
      key: this.key,
    });

    // Nothing drains these two queues (an operator replays them), so a visible message is the signal.
    // Messages moved in by an SQS redrive or sent by Lambda's on-failure destination are never
    // *received* by anyone, so a NumberOfMessagesReceived alarm would stay silent here.
    new UnconsumedQueueAlarm(this, 'backend-dlq-alarm', {
      queueName: props.resourceName('backend-job-events-dlq.fifo'),
      description:
        'completion events the backend could not handle (see "Completion events" in docs/ai-stack.md)',
      topicArn: props.alarmTopicArn,
    });
    new UnconsumedQueueAlarm(this, 'stream-failures-alarm', {
      queueName: props.resourceName('job-events-failures'),
      description: 'stream batches the job-events function gave up on (replay them: docs/ai-stack.md)',
      topicArn: props.alarmTopicArn,
    });
    new JobEventsAlarms(this, 'alarms', {
      functionName: props.resourceName('job-events'),
      topicName,
      maxIteratorAgeMs: MAX_ITERATOR_AGE_MS,
      alarmTopicArn: props.alarmTopicArn,
    });
  }

  /** Publishing to the topic (IAM, key, and the topic policy's declared publishers). */
  grantPublish(grantee: Grantee & { readonly arn: string }): void {
    this.topic.grantPublish(grantee);
  }

  /**
   * Feeds `fn` from the table's stream (terminal writes only, by filter); the batches it gives up
   * on go to the failure queue.
   */
  connectStreamConsumer(fn: WorkerFunction, table: JobsTable, trigger: StreamTrigger): void {
    table.grantStreamRead(fn.role);
    this.failureQueue.grantSend(fn.role);
    fn.addStreamSource('jobs-stream-source', table.streamArn, trigger, {
      onFailureArn: this.failureQueue.arn,
      filterPattern: TERMINAL_JOB_WRITE_FILTER,
    });
  }

  /** The backend's consumer: receive, delete, change visibility, read attributes; decrypt. */
  grantBackendReceive(grantee: Grantee): void {
    this.backendQueue.grantReceive(grantee);
  }
}
