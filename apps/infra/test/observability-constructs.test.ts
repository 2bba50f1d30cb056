import { App, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { AlarmTopic } from '../src/constructs/observability/alarm-topic.js';
import { ANY_OCCURRENCE, metricAlarm } from '../src/constructs/observability/metric-alarm.js';
import { NotificationTopic } from '../src/constructs/observability/notification-topic.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

const KEY = { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/k' };
const TOPIC = 'arn:aws:sns:ap-southeast-1:111111111111:alarms';

function synth(build: (stack: TerraformStack) => void): Json {
  const stack = new TerraformStack(new App(), 'observability-test');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}
const only = (doc: Json, type: string): [string, Json] => {
  const entries = Object.entries((doc.resource?.[type] ?? {}) as Record<string, Json>);
  expect(entries, type).toHaveLength(1);
  return entries[0] as [string, Json];
};
const statements = (doc: Json): Json[] => JSON.parse(only(doc, 'aws_sns_topic_policy')[1].policy).Statement;

describe('NotificationTopic', () => {
  it('is KMS-encrypted, refuses publishes without TLS and subscribes the operators by e-mail', () => {
    const doc = synth(
      (s) => new NotificationTopic(s, 'approvals', { name: 'bandup-test-x', key: KEY, email: 'ops@x.test' }),
    );
    const [topicId, topic] = only(doc, 'aws_sns_topic');
    expect(topic).toMatchObject({ name: 'bandup-test-x', kms_master_key_id: KEY.arn });
    const [, subscription] = only(doc, 'aws_sns_topic_subscription');
    expect(subscription).toEqual({
      topic_arn: `\${aws_sns_topic.${topicId}.arn}`,
      protocol: 'email',
      endpoint: 'ops@x.test',
    });
    // Only IAM principals granted sns:Publish may publish: no service principal is admitted.
    expect(statements(doc)).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: `\${aws_sns_topic.${topicId}.arn}`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('admits CloudWatch alarms of its own account only when asked (the alarm topic)', () => {
    const doc = synth(
      (s) =>
        new AlarmTopic(s, 'alarm-topic', {
          name: 'a',
          accountId: '111111111111',
          key: KEY,
          email: 'o@x.test',
        }),
    );
    const [allow, deny] = statements(doc);
    expect(allow).toMatchObject({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:111111111111:alarm:*' },
      },
    });
    expect(deny?.Sid).toBe('DenyInsecureTransport');
  });

  it('keeps the addresses a topic had before it was grouped here, and every reference follows', () => {
    const doc = synth(
      (s) =>
        new NotificationTopic(s, 'approvals-topic', {
          name: 'n',
          key: KEY,
          email: 'o@x.test',
          logicalIds: { topic: 'approvals', policy: 'approvals-policy', email: 'approvals-email' },
        }),
    );
    expect(Object.keys(doc.resource.aws_sns_topic)).toEqual(['approvals']);
    expect(Object.keys(doc.resource.aws_sns_topic_policy)).toEqual(['approvals-policy']);
    expect(Object.keys(doc.resource.aws_sns_topic_subscription)).toEqual(['approvals-email']);
    expect(doc.resource.aws_sns_topic_policy['approvals-policy'].arn).toBe('${aws_sns_topic.approvals.arn}');
    expect(doc.resource.aws_sns_topic_subscription['approvals-email'].topic_arn).toBe(
      '${aws_sns_topic.approvals.arn}',
    );
  });
});

describe('metricAlarm', () => {
  const metric = {
    namespace: 'AWS/SQS',
    metricName: 'NumberOfMessagesReceived',
    dimensions: { QueueName: 'q' },
    statistic: 'Sum',
    period: 300,
  } as const;

  it('notifies its topic when it fires and when it recovers', () => {
    const doc = synth((s) =>
      metricAlarm(s, 'dlq', {
        ...ANY_OCCURRENCE,
        alarmName: 'q-received',
        alarmDescription: 'd',
        metric,
        topicArn: TOPIC,
      }),
    );
    const [id, alarm] = only(doc, 'aws_cloudwatch_metric_alarm');
    expect(id).toBe('dlq');
    expect(alarm).toMatchObject({
      alarm_name: 'q-received',
      namespace: 'AWS/SQS',
      metric_name: 'NumberOfMessagesReceived',
      dimensions: { QueueName: 'q' },
      statistic: 'Sum',
      period: 300,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
    expect(alarm).not.toHaveProperty('datapoints_to_alarm');
    expect(alarm).not.toHaveProperty('metric_query');
  });

  it('also triggers automation when it fires (a failover scaling policy), but pages on recovery only', () => {
    const policy = 'arn:aws:autoscaling:ap-southeast-1:111111111111:scalingPolicy:p';
    const doc = synth((s) =>
      metricAlarm(s, 'failover', {
        ...ANY_OCCURRENCE,
        alarmName: 'az-unhealthy',
        alarmDescription: 'd',
        metric,
        topicArn: TOPIC,
        alsoOnAlarm: [policy],
      }),
    );
    const [, alarm] = only(doc, 'aws_cloudwatch_metric_alarm');
    // The scaling policy first, then the page: the order the failover alarm has always had in state.
    expect(alarm.alarm_actions).toEqual([policy, TOPIC]);
    expect(alarm.ok_actions).toEqual([TOPIC]);
  });

  it('judges metric math without a top-level metric, and M of N datapoints when given', () => {
    const doc = synth((s) =>
      metricAlarm(s, 'rate', {
        alarmName: 'r',
        alarmDescription: 'd',
        metric: { metricQuery: [{ id: 'rate', returnData: true, expression: '1' }] },
        comparison: 'LessThanThreshold',
        threshold: 0.5,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: 'missing',
        topicArn: TOPIC,
      }),
    );
    const [, alarm] = only(doc, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({
      metric_query: [{ id: 'rate', return_data: true, expression: '1' }],
      comparison_operator: 'LessThanThreshold',
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'missing',
    });
    expect(alarm).not.toHaveProperty('namespace');
    expect(alarm).not.toHaveProperty('metric_name');
  });
});
