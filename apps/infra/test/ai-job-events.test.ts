import { TERMINAL_JOB_WRITE_FILTER, WORKER_CATALOGUE } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

/**
 * Completion events in the synthesized AI stack: the jobs table's stream, the job-events mapping,
 * the SNS FIFO topic, the backend's SQS FIFO queue and DLQ, their key and policies, the alarms, and
 * what the backend task role (the consumer stack's stand-in) is granted.
 */
const configs = selectEnvironments('dev,prod');
let stacks: Record<string, Json>;

beforeAll(() => {
  stacks = synthAi(configs, {
    grantConsumer: (ai, role) => {
      ai.grantInvokeApi(role);
      ai.grantReceiveJobEvents(role);
    },
  }).stacks;
}, 120_000);

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const statements = (policy: string): Json[] => JSON.parse(policy).Statement as Json[];

describe.each(['dev', 'prod'])('bandup-%s-ai: completion events', (env) => {
  const ai = () => stacks[`bandup-${env}-ai`] as Json;
  const config = () => configs.find((c) => c.name === env)!;
  const named = (type: string, name: string) => findResource(ai(), type, 'name', name);
  const topicName = `bandup-${env}-job-events.fifo`;
  const queueName = `bandup-${env}-backend-job-events.fifo`;
  const dlqName = `bandup-${env}-backend-job-events-dlq.fifo`;
  const failuresName = `bandup-${env}-job-events-failures`;
  const eventsKeyId = () => {
    const [, alias] = named('aws_kms_alias', `alias/bandup-${env}-job-events`);
    return refId(alias.target_key_id, 'aws_kms_key') as string;
  };
  const publisherRoleId = () => {
    const [, fn] = findResource(ai(), 'aws_lambda_function', 'function_name', `bandup-${env}-job-events`);
    return refId(fn.role, 'aws_iam_role') as string;
  };
  const rolePolicy = (roleId: string, stack = ai()) =>
    Object.values(resourcesOf(stack, 'aws_iam_role_policy')).find((p) =>
      String(p.role).includes(`aws_iam_role.${roleId}.`),
    ) as Json;

  it('the jobs table streams new and old images', () => {
    const [, table] = named('aws_dynamodb_table', `bandup-${env}-jobs`);
    expect(table.stream_enabled).toBe(true);
    expect(table.stream_view_type).toBe('NEW_AND_OLD_IMAGES');
  });

  it('the job-events function reads the stream in order, with bisect, partial batches, a filter and an on-failure queue', () => {
    const [tableId] = named('aws_dynamodb_table', `bandup-${env}-jobs`);
    const [failuresId, failures] = named('aws_sqs_queue', failuresName);
    const mappings = Object.values(resourcesOf(ai(), 'aws_lambda_event_source_mapping')).filter(
      (m) => m.event_source_arn === `\${aws_dynamodb_table.${tableId}.stream_arn}`,
    );
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0] as Json;
    const [fnId] = findResource(ai(), 'aws_lambda_function', 'function_name', `bandup-${env}-job-events`);
    expect(mapping.function_name).toBe(`\${aws_lambda_function.${fnId}.arn}`);
    const trigger = WORKER_CATALOGUE['job-events'].trigger;
    expect(trigger.type).toBe('jobs-stream');
    expect(mapping).toMatchObject({
      starting_position: 'TRIM_HORIZON',
      parallelization_factor: 1,
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: trigger.type === 'jobs-stream' ? trigger.maxRetryAttempts : -2,
      function_response_types: ['ReportBatchItemFailures'],
      destination_config: { on_failure: { destination_arn: `\${aws_sqs_queue.${failuresId}.arn}` } },
      enabled: true,
    });
    expect(JSON.parse(mapping.filter_criteria.filter[0].pattern)).toEqual(TERMINAL_JOB_WRITE_FILTER);
    // Lambda can send failure records only to a standard queue; it is encrypted and kept 14 days.
    expect(failures.fifo_queue).toBeUndefined();
    expect(failures.kms_master_key_id).toBe(`\${aws_kms_key.${eventsKeyId()}.arn}`);
    expect(failures.message_retention_seconds).toBe(14 * 24 * 3600);
  });

  it('the topic is FIFO, explicitly deduplicated, KMS-encrypted, publishable only by the job-events role', () => {
    const [topicId, topic] = named('aws_sns_topic', topicName);
    expect(topic).toMatchObject({ fifo_topic: true, content_based_deduplication: false });
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${eventsKeyId()}.arn}`);
    const policy = Object.values(resourcesOf(ai(), 'aws_sns_topic_policy')).find(
      (p) => p.arn === `\${aws_sns_topic.${topicId}.arn}`,
    ) as Json;
    const byId = Object.fromEntries(statements(policy.policy).map((s) => [s.Sid, s]));
    expect(byId.DenyInsecureTransport?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(byId.DenyUndeclaredPublishers).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
    });
    expect(byId.DenyUndeclaredPublishers.Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([
      `\${aws_iam_role.${publisherRoleId()}.arn}`,
    ]);
  });

  it('the backend queue is FIFO, subscribed raw with a redrive to its FIFO DLQ, and admits only the topic', () => {
    const [topicId] = named('aws_sns_topic', topicName);
    const [queueId, queue] = named('aws_sqs_queue', queueName);
    const [dlqId, dlq] = named('aws_sqs_queue', dlqName);
    for (const q of [queue, dlq]) {
      expect(q).toMatchObject({
        fifo_queue: true,
        content_based_deduplication: false,
        receive_wait_time_seconds: 20,
      });
      expect(q.kms_master_key_id).toBe(`\${aws_kms_key.${eventsKeyId()}.arn}`);
    }
    expect(JSON.parse(queue.redrive_policy)).toEqual({
      deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}`,
      maxReceiveCount: config().ai.jobEvents.backendMaxReceiveCount,
    });
    expect(queue.visibility_timeout_seconds).toBe(config().ai.jobEvents.backendVisibilityTimeoutSeconds);
    expect(dlq.message_retention_seconds).toBe(14 * 24 * 3600);

    const subscriptions = Object.values(resourcesOf(ai(), 'aws_sns_topic_subscription')).filter(
      (s) => s.topic_arn === `\${aws_sns_topic.${topicId}.arn}`,
    );
    expect(subscriptions).toEqual([
      expect.objectContaining({
        protocol: 'sqs',
        endpoint: `\${aws_sqs_queue.${queueId}.arn}`,
        raw_message_delivery: true,
        redrive_policy: JSON.stringify({ deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}` }),
      }),
    ]);

    const queuePolicy = Object.values(resourcesOf(ai(), 'aws_sqs_queue_policy')).find(
      (p) => p.queue_url === `\${aws_sqs_queue.${queueId}.url}`,
    ) as Json;
    const byId = Object.fromEntries(statements(queuePolicy.policy).map((s) => [s.Sid, s]));
    expect(byId.TopicSends).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': `\${aws_sns_topic.${topicId}.arn}` } },
    });
    expect(byId.DenyOtherSenders).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:SendMessage',
    });
    expect(byId.DenyOtherSenders.Condition.ArnNotEquals['aws:SourceArn']).toEqual([
      `\${aws_sns_topic.${topicId}.arn}`,
    ]);
    expect(byId.DenyInsecureTransport?.Effect).toBe('Deny');
  });

  it('the events key lets SNS encrypt for the queues only on behalf of this topic', () => {
    const key = resourcesOf(ai(), 'aws_kms_key')[eventsKeyId()] as Json;
    const sns = statements(key.policy).find((s) => s.Principal?.Service === 'sns.amazonaws.com') as Json;
    expect(asList(sns.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(sns.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': `arn:aws:sns:${config().region}:${config().accountId}:${topicName}` },
    });
    const via = statements(key.policy).find((s) => s.Sid === 'AccountUsesKeyThroughServices') as Json;
    expect(via.Condition['ForAnyValue:StringEquals']['kms:ViaService'].sort()).toEqual(
      [`sns.${config().region}.amazonaws.com`, `sqs.${config().region}.amazonaws.com`].sort(),
    );
  });

  it('the publisher role: publish to this topic, read this stream, send to its failure queue, nothing on the table', () => {
    const [tableId] = named('aws_dynamodb_table', `bandup-${env}-jobs`);
    const [topicId] = named('aws_sns_topic', topicName);
    const [failuresId] = named('aws_sqs_queue', failuresName);
    const granted = statements(rolePolicy(publisherRoleId()).policy);
    const resourcesFor = (action: string) =>
      granted.filter((s) => asList(s.Action).includes(action)).flatMap((s) => asList(s.Resource));
    expect(resourcesFor('sns:Publish')).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    for (const action of [
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:DescribeStream',
      'dynamodb:ListStreams',
    ]) {
      expect(resourcesFor(action)).toEqual([`\${aws_dynamodb_table.${tableId}.arn}/stream/*`]);
    }
    expect(resourcesFor('sqs:SendMessage')).toEqual([`\${aws_sqs_queue.${failuresId}.arn}`]);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem']) {
      expect(resourcesFor(action), action).toEqual([]);
    }
    const env_ = (findResource(ai(), 'aws_lambda_function', 'function_name', `bandup-${env}-job-events`)[1]
      .environment.variables ?? {}) as Record<string, string>;
    expect(env_.BANDUP_JOB_EVENTS_TOPIC_ARN).toBe(`\${aws_sns_topic.${topicId}.arn}`);
  });

  it('the backend task role may receive, delete and change visibility on its queue, and decrypt with the events key only', () => {
    const consumer = stacks[`bandup-${env}-consumer`] as Json;
    const granted = statements(Object.values(resourcesOf(consumer, 'aws_iam_role_policy'))[0]?.policy);
    const sqs = granted.filter((s) => asList(s.Action).some((a: string) => a.startsWith('sqs:')));
    expect(sqs).toHaveLength(1);
    expect(asList(sqs[0]?.Action).sort()).toEqual(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    // Cross-stack: the queue ARN arrives through remote state (one queue, not its DLQ).
    expect(asList(sqs[0]?.Resource)).toEqual([
      expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^}]+\}$/),
    ]);
    const kms = granted.filter((s) => asList(s.Action).some((a: string) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(asList(kms[0]?.Action).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    const others = granted.filter(
      (s) => !asList(s.Action).some((a: string) => /^(sqs|kms|execute-api):/.test(a)),
    );
    expect(others).toEqual([]);
    // The remote-state outputs are the backend queue's ARN and the events key's ARN.
    const outputs = (ai().output ?? {}) as Record<string, Json>;
    const outputValues = Object.values(outputs).map((o) => o.value);
    const [queueId] = named('aws_sqs_queue', queueName);
    expect(outputValues).toContain(`\${aws_sqs_queue.${queueId}.arn}`);
    expect(outputValues).toContain(`\${aws_kms_key.${eventsKeyId()}.arn}`);
    expect(outputValues).not.toContain(`\${aws_sqs_queue.${named('aws_sqs_queue', dlqName)[0]}.arn}`);
  });

  it('alarms: backend DLQ, stream failures, consumer lag and SNS delivery failures page the AI alarm topic', () => {
    const alarms = Object.values(resourcesOf(ai(), 'aws_cloudwatch_metric_alarm'));
    const [alarmTopicId] = named('aws_sns_topic', `bandup-${env}-ai-alarms`);
    const find = (metric: string, dimensions: Record<string, string>) =>
      alarms.find(
        (a) => a.metric_name === metric && JSON.stringify(a.dimensions) === JSON.stringify(dimensions),
      );
    const expected = [
      find('ApproximateNumberOfMessagesVisible', { QueueName: dlqName }),
      find('ApproximateNumberOfMessagesVisible', { QueueName: failuresName }),
      find('IteratorAge', { FunctionName: `bandup-${env}-job-events` }),
      find('NumberOfNotificationsFailed', { TopicName: topicName }),
    ];
    for (const alarm of expected) {
      expect(alarm).toBeDefined();
      expect(alarm?.alarm_actions).toEqual([`\${aws_sns_topic.${alarmTopicId}.arn}`]);
    }
    expect(expected[2]?.threshold).toBe(15 * 60 * 1000);
  });
});
