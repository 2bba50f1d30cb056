import {
  DLQ_RETENTION_SECONDS,
  envVarNamesFor,
  type FunctionName,
  type FunctionSpec,
  QUEUE_NAMES,
  VISIBILITY_TIMEOUT_FACTOR,
  WORKER_CATALOGUE,
  WORKER_FUNCTIONS,
} from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { type EnvironmentConfig, loadEnvironment, selectEnvironments } from '../src/config/index.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

const configs = selectEnvironments('dev,prod');
let stacks: Record<string, Json>;

beforeAll(() => {
  stacks = synthAi(configs).stacks;
}, 120_000);

const ai = (env: string) => stacks[`bandup-${env}-ai`] as Json;
const fnName = (env: string, name: string) => `bandup-${env}-${name}`;
const functionOf = (env: string, name: string) =>
  findResource(ai(env), 'aws_lambda_function', 'function_name', fnName(env, name));
const queueOf = (env: string, name: string) =>
  findResource(ai(env), 'aws_sqs_queue', 'name', fnName(env, name));
const consumerOf = (queue: string, source: 'queue' | 'dlq'): FunctionSpec =>
  WORKER_FUNCTIONS.find(
    (f) =>
      f.trigger.type === 'sqs' && f.trigger.source === source && f.trigger.queues.includes(queue as never),
  ) as FunctionSpec;

describe.each(['dev', 'prod'])(
  'bandup-%s-ai: one function, role and log group per catalogue entry',
  (env) => {
    it.each(WORKER_FUNCTIONS.map((f) => [f.name, f] as const))('%s', (name, spec) => {
      const stack = ai(env);
      const [, fn] = functionOf(env, name);
      expect(fn.runtime).toBe('nodejs22.x');
      expect(fn.architectures).toEqual(['arm64']);
      expect(fn.handler).toBe('index.handler');
      expect(fn.memory_size).toBe(spec.memoryMb);
      expect(fn.timeout).toBe(spec.timeoutSeconds);
      expect(fn.reserved_concurrent_executions).toBe(spec.reservedConcurrency);
      expect(fn.tracing_config).toEqual({ mode: 'Active' });
      expect(fn.vpc_config).toBeUndefined();
      expect(refId(fn.kms_key_arn, 'aws_kms_key')).toBeDefined();
      // Exactly the catalogue's variables, none empty.
      const vars = fn.environment.variables as Record<string, string>;
      expect(Object.keys(vars).sort()).toEqual([...envVarNamesFor(name)].sort());
      for (const value of Object.values(vars)) expect(value).not.toBe('');
      expect(vars.BANDUP_ENV).toBe(env);

      // Its own role, trusted by Lambda only.
      const roleId = refId(fn.role, 'aws_iam_role') as string;
      const role = resourcesOf(stack, 'aws_iam_role')[roleId] as Json;
      expect(role.name).toBe(`${fnName(env, name)}-lambda`);
      expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
        Service: 'lambda.amazonaws.com',
      });
      const policies = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).filter((p) =>
        String(p.role).includes(`aws_iam_role.${roleId}.`),
      );
      expect(policies).toHaveLength(1);

      // Its own log group, created by Terraform with KMS and retention, JSON logs into it.
      const [logId, group] = findResource(
        stack,
        'aws_cloudwatch_log_group',
        'name',
        `/aws/lambda/${fnName(env, name)}`,
      );
      expect(group.retention_in_days).toBe(
        configs.find((c) => c.name === env)?.observability.logRetentionDays,
      );
      expect(group.kms_key_id).toMatch(/^\$\{/);
      expect(fn.logging_config.log_format).toBe('JSON');
      expect(fn.logging_config.log_group).toBe(`\${aws_cloudwatch_log_group.${logId}.name}`);
      expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
    });

    it('has no function, queue or mapping outside the catalogue', () => {
      const stack = ai(env);
      expect(Object.keys(resourcesOf(stack, 'aws_lambda_function'))).toHaveLength(WORKER_FUNCTIONS.length);
      // Besides the job queues and their DLQs: the backend's event queue and its DLQ, the stream
      // failure queue, and the EventBridge targets' dead-letter queue.
      expect(Object.keys(resourcesOf(stack, 'aws_sqs_queue'))).toHaveLength(QUEUE_NAMES.length * 2 + 4);
      const mappings = WORKER_FUNCTIONS.reduce(
        (n, f) =>
          n + (f.trigger.type === 'sqs' ? f.trigger.queues.length : f.trigger.type === 'jobs-stream' ? 1 : 0),
        0,
      );
      expect(Object.keys(resourcesOf(stack, 'aws_lambda_event_source_mapping'))).toHaveLength(mappings);
    });
  },
);

describe.each(['dev', 'prod'])('bandup-%s-ai: queues, DLQs and event source mappings', (env) => {
  it.each([...QUEUE_NAMES])('%s: queue, DLQ, redrive, encryption, long polling, visibility rule', (queue) => {
    const stack = ai(env);
    const [queueId, q] = queueOf(env, queue);
    const [dlqId, dlq] = queueOf(env, `${queue}-dlq`);
    for (const r of [q, dlq]) {
      expect(r.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(r.kms_data_key_reuse_period_seconds).toBeGreaterThanOrEqual(60);
      expect(r.receive_wait_time_seconds).toBe(20);
      expect(r.sqs_managed_sse_enabled).toBeUndefined();
    }
    expect(dlq.message_retention_seconds).toBe(DLQ_RETENTION_SECONDS);
    expect(q.message_retention_seconds).toBeLessThan(DLQ_RETENTION_SECONDS);
    const redrive = JSON.parse(q.redrive_policy);
    expect(redrive).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}`, maxReceiveCount: 3 });
    const allow = Object.values(resourcesOf(stack, 'aws_sqs_queue_redrive_allow_policy')).find(
      (p) => p.queue_url === `\${aws_sqs_queue.${dlqId}.url}`,
    ) as Json;
    expect(JSON.parse(allow.redrive_allow_policy)).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [`\${aws_sqs_queue.${queueId}.arn}`],
    });
    // The visibility rule, on the queue and on its DLQ.
    const consumer = consumerOf(queue, 'queue');
    const dlqConsumer = consumerOf(queue, 'dlq');
    expect(q.visibility_timeout_seconds).toBeGreaterThanOrEqual(
      VISIBILITY_TIMEOUT_FACTOR * consumer.timeoutSeconds,
    );
    expect(dlq.visibility_timeout_seconds).toBeGreaterThanOrEqual(
      VISIBILITY_TIMEOUT_FACTOR * dlqConsumer.timeoutSeconds,
    );
  });

  it.each(
    WORKER_FUNCTIONS.flatMap((f) =>
      f.trigger.type === 'sqs' ? f.trigger.queues.map((q) => [f.name, q, f] as const) : [],
    ),
  )('%s is fed by %s with partial batch responses', (name, queue, spec) => {
    const stack = ai(env);
    const [fnId] = functionOf(env, name);
    const trigger = spec.trigger as Extract<FunctionSpec['trigger'], { type: 'sqs' }>;
    const source = trigger.source === 'dlq' ? `${queue}-dlq` : queue;
    const [qId] = queueOf(env, source);
    const mapping = Object.values(resourcesOf(stack, 'aws_lambda_event_source_mapping')).find(
      (m) => m.event_source_arn === `\${aws_sqs_queue.${qId}.arn}`,
    ) as Json;
    expect(mapping.function_name).toBe(`\${aws_lambda_function.${fnId}.arn}`);
    expect(mapping.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(mapping.batch_size).toBe(trigger.batchSize);
    expect(mapping.maximum_batching_window_in_seconds).toBe(trigger.batchingWindowSeconds);
    expect(mapping.scaling_config).toEqual({ maximum_concurrency: trigger.maxConcurrency });
  });

  it('job queues admit only the submit role; speaking-finalize only the Transcribe rule', () => {
    const stack = ai(env);
    const [submitId, submit] = functionOf(env, 'submit');
    void submitId;
    const policyOf = (queue: string) => {
      const [id] = queueOf(env, queue);
      const p = Object.values(resourcesOf(stack, 'aws_sqs_queue_policy')).find(
        (r) => r.queue_url === `\${aws_sqs_queue.${id}.url}`,
      ) as Json;
      return JSON.parse(p.policy).Statement as Json[];
    };
    for (const queue of ['writing', 'speaking', 'flashcards']) {
      const statements = policyOf(queue);
      expect(statements.find((s) => s.Sid === 'DenyInsecureTransport')?.Condition).toEqual({
        Bool: { 'aws:SecureTransport': 'false' },
      });
      const allow = statements.find((s) => s.Effect === 'Allow' && s.Action === 'sqs:SendMessage') as Json;
      expect(allow.Principal).toEqual({ AWS: [submit.role] });
      const deny = statements.find((s) => s.Sid === 'DenyUndeclaredSenders') as Json;
      expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [submit.role] } });
    }
    const finalize = policyOf('speaking-finalize');
    const ruleArn = `arn:aws:events:ap-southeast-1:${configs.find((c) => c.name === env)?.accountId}:rule/bandup-${env}-transcribe-state`;
    const [, sweeper] = functionOf(env, 'sweeper');
    const allow = finalize.find((s) => s.Effect === 'Allow' && s.Principal?.Service) as Json;
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allow.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': ruleArn } });
    // The sweeper re-sends lost Transcribe events.
    expect(finalize.find((s) => s.Sid === 'DeclaredRolesSend')?.Principal).toEqual({ AWS: [sweeper.role] });
    expect(finalize.find((s) => s.Sid === 'DenyUndeclaredSenders')?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [sweeper.role], 'aws:SourceArn': [ruleArn] },
    });
  });

  it('exempts configured replay operators (and only them) on every queue', () => {
    const config = loadEnvironment({
      ...dev,
      ai: {
        ...dev.ai,
        queueReplayPrincipalArns: ['arn:aws:iam::111111111111:role/aws-reserved/*/OpsAdmin_*'],
      },
    });
    const stack = synthAi([config]).stacks['bandup-dev-ai'] as Json;
    for (const policy of Object.values(resourcesOf(stack, 'aws_sqs_queue_policy'))) {
      const deny = (JSON.parse(policy.policy).Statement as Json[]).find(
        (s) => s.Sid === 'DenyUndeclaredSenders',
      );
      if (!deny) continue; // DLQs: TLS only
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toContain(
        'arn:aws:iam::111111111111:role/aws-reserved/*/OpsAdmin_*',
      );
    }
  }, 60_000);

  it('routes Transcribe state changes of this environment only to the speaking-finalize queue', () => {
    const stack = ai(env);
    const [ruleId, rule] = findResource(
      stack,
      'aws_cloudwatch_event_rule',
      'name',
      `bandup-${env}-transcribe-state`,
    );
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.transcribe'],
      'detail-type': ['Transcribe Job State Change'],
      detail: {
        TranscriptionJobName: [{ prefix: `bandup-${env}-` }],
        TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
      },
    });
    const [qId] = queueOf(env, 'speaking-finalize');
    const [dlqId] = queueOf(env, 'events-dlq');
    const targets = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_target')).filter(
      (t) => t.rule === `\${aws_cloudwatch_event_rule.${ruleId}.name}`,
    );
    expect(targets).toHaveLength(1);
    expect(targets[0]?.arn).toBe(`\${aws_sqs_queue.${qId}.arn}`);
    // An event EventBridge cannot deliver is kept, not dropped.
    expect(targets[0]?.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${dlqId}.arn}` });
  });

  it('runs the sweeper every 5 minutes from its own rule, with the events DLQ on the target', () => {
    const stack = ai(env);
    const [ruleId, rule] = findResource(
      stack,
      'aws_cloudwatch_event_rule',
      'name',
      `bandup-${env}-sweeper-schedule`,
    );
    expect(rule.schedule_expression).toBe('rate(5 minutes)');
    const [sweeperId] = functionOf(env, 'sweeper');
    const [dlqId, dlq] = queueOf(env, 'events-dlq');
    const target = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_target')).find(
      (t) => t.rule === `\${aws_cloudwatch_event_rule.${ruleId}.name}`,
    ) as Json;
    expect(target.arn).toBe(`\${aws_lambda_function.${sweeperId}.arn}`);
    expect(target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${dlqId}.arn}` });
    const permission = Object.values(resourcesOf(stack, 'aws_lambda_permission')).find(
      (p) => p.source_arn === `\${aws_cloudwatch_event_rule.${ruleId}.arn}`,
    ) as Json;
    expect(permission).toMatchObject({ action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com' });
    expect(dlq.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(dlq.message_retention_seconds).toBe(DLQ_RETENTION_SECONDS);
    const policy = Object.values(resourcesOf(stack, 'aws_sqs_queue_policy')).find(
      (p) => p.queue_url === `\${aws_sqs_queue.${dlqId}.url}`,
    ) as Json;
    const allow = (JSON.parse(policy.policy).Statement as Json[]).find((s) => s.Effect === 'Allow') as Json;
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allow.Condition.ArnEquals['aws:SourceArn']).toHaveLength(2);
  });

  it('alarms on what jobs actually do: queue age, failure rate, stuck jobs, Gemini, throttles, undelivered events', () => {
    const stack = ai(env);
    const [topicId] = findResource(stack, 'aws_sns_topic', 'name', `bandup-${env}-ai-alarms`);
    const alarms = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm'));
    const byName = (name: string) => {
      const alarm = alarms.find((a) => a.alarm_name === name) as Json | undefined;
      if (!alarm) throw new Error(`no alarm ${name}`);
      expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
      return alarm;
    };
    for (const queue of QUEUE_NAMES) {
      const age = byName(`bandup-${env}-${queue}-message-age`);
      expect(age).toMatchObject({
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: `bandup-${env}-${queue}` },
      });
      expect(age.threshold).toBeGreaterThanOrEqual(900);
    }
    const finishedIn = { writing: 'writing', speaking: 'speaking-finalize', flashcards: 'flashcards' };
    for (const [kind, fn] of Object.entries(finishedIn)) {
      const rate = byName(`bandup-${env}-${kind}-failure-rate`);
      const [failed, succeeded, expression] = rate.metric_query as [Json, Json, Json];
      expect(failed.metric).toMatchObject({
        namespace: 'Bandup/AI',
        metric_name: 'JobsFailed',
        dimensions: { kind, service: `bandup-ai-${fn}` },
      });
      expect(succeeded.metric.dimensions).toEqual({ kind, service: `bandup-ai-${fn}` });
      expect(succeeded.metric.metric_name).toBe('JobsSucceeded');
      expect(expression.expression).toBe(
        'IF((FILL(part, 0) + FILL(rest, 0)) >= 5, FILL(part, 0) / (FILL(part, 0) + FILL(rest, 0)), 0)',
      );
      expect(rate.threshold).toBe(0.2);
    }
    expect(byName(`bandup-${env}-stuck-jobs`)).toMatchObject({
      namespace: 'Bandup/AI',
      metric_name: 'StuckJobs',
      dimensions: { service: 'bandup-ai-sweeper' },
      threshold: 0,
    });
    const fallback = byName(`bandup-${env}-gemini-fallback-rate`);
    expect((fallback.metric_query as Json[]).map((q) => q.metric?.metric_name ?? q.expression)).toEqual([
      'GeminiFallbacks',
      'GeminiQueries',
      'IF(FILL(rest, 0) >= 4, FILL(part, 0) / FILL(rest, 0), 0)',
    ]);
    expect(byName(`bandup-${env}-gemini-key-missing`).metric_name).toBe('GeminiKeyMissing');
    expect(byName(`bandup-${env}-flashcards-bedrock-throttles`)).toMatchObject({
      metric_name: 'BedrockThrottles',
      dimensions: { service: 'bandup-ai-flashcards' },
    });
    expect(byName(`bandup-${env}-events-dlq-not-empty`).metric_name).toBe(
      'ApproximateNumberOfMessagesVisible',
    );
  });

  it('alarms on every DLQ, every function, the API and the rule, to a KMS-encrypted topic', () => {
    const stack = ai(env);
    const alarms = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm'));
    for (const queue of QUEUE_NAMES) {
      const alarm = alarms.find((a) => a.dimensions?.QueueName === `bandup-${env}-${queue}-dlq`) as Json;
      // The dead-letter function drains a DLQ within seconds: its depth stays 0, its receives do not.
      expect(alarm.metric_name).toBe('NumberOfMessagesReceived');
      expect(alarm.statistic).toBe('Sum');
      expect(alarm.threshold).toBe(0);
      expect(alarm.comparison_operator).toBe('GreaterThanThreshold');
    }
    for (const f of WORKER_FUNCTIONS) {
      const metrics = alarms
        .filter((a) => a.dimensions?.FunctionName === fnName(env, f.name))
        .map((a) => a.metric_name);
      // A stream consumer also alarms on its lag (IteratorAge).
      const expected =
        f.trigger.type === 'jobs-stream' ? ['Errors', 'IteratorAge', 'Throttles'] : ['Errors', 'Throttles'];
      expect(metrics.sort()).toEqual(expected);
    }
    expect(alarms.find((a) => a.metric_name === '5XXError')?.dimensions).toEqual({
      ApiName: `bandup-${env}-ai`,
      Stage: env,
    });
    const [topicId, topic] = findResource(stack, 'aws_sns_topic', 'name', `bandup-${env}-ai-alarms`);
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    for (const a of alarms) expect(a.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
  });
});

describe('jobs table', () => {
  it.each(['dev', 'prod'])('%s: on demand, PITR, KMS, TTL on expiresAt, by-user index', (env) => {
    const [, table] = findResource(ai(env), 'aws_dynamodb_table', 'name', `bandup-${env}-jobs`);
    expect(table.billing_mode).toBe('PAY_PER_REQUEST');
    expect(table.hash_key).toBe('jobId');
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.server_side_encryption.enabled).toBe(true);
    expect(table.server_side_encryption.kms_key_arn).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(table.ttl).toEqual({ attribute_name: 'expiresAt', enabled: true });
    expect(table.global_secondary_index).toEqual([
      { name: 'by-user', hash_key: 'userId', range_key: 'createdAt', projection_type: 'ALL' },
      { name: 'by-deadline', hash_key: 'sweepShard', range_key: 'deadlineAt', projection_type: 'ALL' },
    ]);
  });

  it('is deletion-protected with prevent_destroy in prod only', () => {
    const [, prod] = findResource(ai('prod'), 'aws_dynamodb_table', 'name', 'bandup-prod-jobs');
    const [, devTable] = findResource(ai('dev'), 'aws_dynamodb_table', 'name', 'bandup-dev-jobs');
    expect(prod.deletion_protection_enabled).toBe(true);
    expect(prod.lifecycle).toEqual({ prevent_destroy: true });
    expect(devTable.deletion_protection_enabled).toBe(false);
    expect(devTable.lifecycle).toBeUndefined();
  });
});

describe('one source of truth for memory', () => {
  const withWritingMemory = (memoryMb: number): Readonly<Record<FunctionName, FunctionSpec>> => ({
    ...WORKER_CATALOGUE,
    writing: { ...WORKER_CATALOGUE.writing, memoryMb },
  });
  const memoryOf = (stack: Json, env: string, name: string) =>
    findResource(stack, 'aws_lambda_function', 'function_name', fnName(env, name))[1].memory_size;

  it('a changed catalogue memory changes the synthesized function', () => {
    const devConfig = configs[0] as EnvironmentConfig;
    const changed = synthAi([devConfig], { catalogue: withWritingMemory(1536) }).stacks[
      'bandup-dev-ai'
    ] as Json;
    expect(WORKER_CATALOGUE.writing.memoryMb).not.toBe(1536);
    expect(memoryOf(changed, 'dev', 'writing')).toBe(1536);
    expect(memoryOf(ai('dev'), 'dev', 'writing')).toBe(WORKER_CATALOGUE.writing.memoryMb);
  }, 60_000);

  it('config.ai.memoryOverridesMb overrides one function and nothing else', () => {
    const config = loadEnvironment({ ...dev, ai: { ...dev.ai, memoryOverridesMb: { flashcards: 3008 } } });
    const stack = synthAi([config]).stacks['bandup-dev-ai'] as Json;
    expect(memoryOf(stack, 'dev', 'flashcards')).toBe(3008);
    expect(memoryOf(stack, 'dev', 'writing')).toBe(WORKER_CATALOGUE.writing.memoryMb);
  }, 60_000);

  it('an override for a function that does not exist is a configuration error naming it', () => {
    expect(() =>
      loadEnvironment({ ...dev, ai: { ...dev.ai, memoryOverridesMb: { 'no-such-fn': 512 } as never } }),
    ).toThrow(/memoryOverridesMb/);
  });
});
