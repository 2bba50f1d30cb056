import { consumerOf, type FunctionSpec, QUEUE_NAMES, type QueueName, resourceName } from '@bandup/shared';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { JobQueue, type QueueKey } from '../../constructs/serverless/job-queue.js';
import {
  assertVisibilityTimeouts,
  defaultVisibilityTimeout,
  type QueueVisibility,
} from '../../constructs/serverless/queue-visibility.js';

export interface JobQueuesProps {
  readonly config: EnvironmentConfig;
  /** The AI stack's key (encrypts every queue and its DLQ). */
  readonly key: QueueKey;
  readonly catalogue: readonly FunctionSpec[];
}

/**
 * One SQS queue and dead-letter queue per queue name, each with the visibility timeout its catalogue
 * consumer needs (checked before anything is created), and the operators who may replay dead letters.
 */
export class JobQueues extends FlatConstruct {
  readonly queues: Record<QueueName, JobQueue>;
  /** Visibility timeout of each main queue (the queue-age alarms wait two of them). */
  readonly visibilitySeconds: Record<QueueName, number>;

  constructor(scope: Construct, id: string, props: JobQueuesProps) {
    super(scope, id);
    const { config, catalogue } = props;
    const ai = config.ai;
    const plan = QUEUE_NAMES.map((queue) =>
      visibilityPlan(queue, catalogue, ai.queueVisibilityTimeoutSeconds[queue]),
    );
    assertVisibilityTimeouts(plan.flatMap((p) => [p.main, p.dlq]));
    this.visibilitySeconds = Object.fromEntries(
      plan.map((p) => [p.queue, p.main.visibilityTimeoutSeconds]),
    ) as Record<QueueName, number>;
    this.queues = Object.fromEntries(
      plan.map((p) => [
        p.queue,
        new JobQueue(this, `${p.queue}-queue`, {
          name: resourceName(config.name, p.queue),
          key: props.key,
          visibilityTimeoutSeconds: p.main.visibilityTimeoutSeconds,
          deadLetterVisibilityTimeoutSeconds: p.dlq.visibilityTimeoutSeconds,
          maxReceiveCount: ai.maxReceiveCount,
        }),
      ]),
    ) as Record<QueueName, JobQueue>;

    // Operators replaying dead letters (re-sending an archived body to its source queue); the
    // config schema admits only principals of this account.
    for (const arnPattern of ai.queueReplayPrincipalArns) {
      for (const queue of Object.values(this.queues)) queue.allowSender({ kind: 'operator', arnPattern });
    }
  }
}

/** A queue's and its DLQ's visibility timeouts: the configured override, else from the consumer. */
function visibilityPlan(queue: QueueName, catalogue: readonly FunctionSpec[], override: number | undefined) {
  const consumer = consumerOf(queue, 'queue', catalogue);
  const dlqConsumer = consumerOf(queue, 'dlq', catalogue);
  return {
    queue,
    main: {
      queue,
      visibilityTimeoutSeconds: override ?? visibility(consumer),
      consumer: { name: consumer.name, timeoutSeconds: consumer.timeoutSeconds },
      source: override === undefined ? 'catalogue' : `config.ai.queueVisibilityTimeoutSeconds.${queue}`,
    } satisfies QueueVisibility,
    dlq: {
      queue: `${queue}-dlq`,
      visibilityTimeoutSeconds: visibility(dlqConsumer),
      consumer: { name: dlqConsumer.name, timeoutSeconds: dlqConsumer.timeoutSeconds },
      source: 'catalogue',
    } satisfies QueueVisibility,
  };
}

function visibility(fn: FunctionSpec): number {
  return defaultVisibilityTimeout(
    fn.timeoutSeconds,
    fn.trigger.type === 'sqs' ? fn.trigger.batchingWindowSeconds : 0,
  );
}
