// Stryker disable all: mutation testing covers only grantCatalogueAccess below (module catalogue-grants).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AI_METRIC_NAMES,
  AI_METRICS_NAMESPACE,
  API_OPERATIONS,
  backendTaskRoleName,
  COMMON_ENV_VARS,
  ENV_VARS,
  type EnvVarKey,
  type FunctionName,
  type FunctionSpec,
  JOBS_TABLE,
  QUEUE_NAMES,
  type QueueName,
  SUBMISSION_COUNTERS_TABLE,
  type SubmissionLimits,
  transcriptionJobNamePrefix,
  usesApiKey,
  WORKER_CATALOGUE,
} from '@bandup/shared';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { Annotations, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import type { Grantee } from '../../constructs/iam/policy-document.js';
import { JobsTable } from '../../constructs/jobs-table.js';
import { EncryptionKey } from '../../constructs/kms-key.js';
import { AlarmTopic } from '../../constructs/observability/alarm-topic.js';
import {
  DeadLetterQueueAlarm,
  EventRuleAlarm,
  LambdaFunctionAlarms,
  MetricOccurrenceAlarm,
  QueueAgeAlarm,
  RateAlarm,
  RestApiAlarms,
  UnconsumedQueueAlarm,
} from '../../constructs/observability/serverless-alarms.js';
import { SecureBucket } from '../../constructs/secure-bucket.js';
import { apiGatewayDefinition } from '../../constructs/serverless/api-definition.js';
import { apiResourcePolicy } from '../../constructs/serverless/api-resource-policy.js';
import { EventTargetDeadLetterQueue } from '../../constructs/serverless/event-target-dead-letter-queue.js';
import { FunctionSchedule } from '../../constructs/serverless/function-schedule.js';
import { JobCompletionEvents } from '../../constructs/serverless/job-completion-events.js';
import { JobQueue, type QueueKey } from '../../constructs/serverless/job-queue.js';
import {
  assertVisibilityTimeouts,
  defaultVisibilityTimeout,
  type QueueVisibility,
} from '../../constructs/serverless/queue-visibility.js';
import { RestApi } from '../../constructs/serverless/rest-api.js';
import { WorkerFunction } from '../../constructs/serverless/worker-function.js';
import { SubmissionCountersTable } from '../../constructs/submission-counters-table.js';
import { WafWebAcl } from '../../constructs/waf-web-acl.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';

/** A KMS key as the AI stack uses it (the data stack's `EncryptionKey`). */
export interface AiKey extends QueueKey {}

/** What the AI stack needs from the data stack. */
export interface AiDataInputs {
  readonly keys: {
    /** Encrypts the jobs table, the AI data bucket and Transcribe's output. */
    readonly data: AiKey;
    /** Admits CloudWatch Logs: every log group of this stack uses it. */
    readonly logs: { readonly arn: string };
    /** Encrypts Secrets Manager secrets (the Gemini key; the API key secret created here). */
    readonly secrets: AiKey;
  };
  readonly buckets: {
    /** The AI data bucket, with the prefixes of `S3_PREFIXES`. */
    readonly uploads: {
      readonly name: string;
      readonly arn: string;
      grantRead(grantee: Grantee, prefix?: string): void;
      grantWrite(grantee: Grantee, prefix?: string): void;
      grantList(grantee: Grantee): void;
    };
  };
  readonly secrets: { readonly gemini: { readonly arn: string } };
}

export interface AiStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  readonly data: AiDataInputs;
  /** Directory of the worker bundles, `<dir>/<function>/index.mjs` (default `apps/ai-workers/dist`). */
  readonly bundlesDir?: string;
  /** The worker catalogue (default: the shared `WORKER_CATALOGUE`; tests pass a modified copy). */
  readonly catalogue?: Readonly<Record<FunctionName, FunctionSpec>>;
}

/** `apps/ai-workers/dist`, from `apps/infra/{src,dist}/stacks/ai`. */
export const DEFAULT_BUNDLES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../ai-workers/dist',
);

/** The queue Amazon Transcribe's job state changes are delivered to (by EventBridge, not by a function). */
const TRANSCRIBE_EVENTS_QUEUE: QueueName = 'speaking-finalize';
const POWERTOOLS_METRICS_NAMESPACE = AI_METRICS_NAMESPACE;
const LOG_LEVEL = 'INFO';

/**
 * `bandup-<env>-ai`: the serverless AI service (docs/ai-stack.md), built entirely from the shared
 * worker catalogue: one Lambda function, role and log group per entry, one SQS queue and DLQ per
 * queue name with the catalogue's consumer, the REST API from the shared OpenAPI document, the
 * jobs table, the Transcribe EventBridge rule, WAF on the API stage, and alarms.
 */
export class AiStack extends EnvironmentStack {
  readonly key: EncryptionKey;
  readonly table: JobsTable;
  readonly submissionCounters: SubmissionCountersTable;
  readonly artifactsBucket: SecureBucket;
  readonly queues: Record<QueueName, JobQueue>;
  readonly functions: Record<FunctionName, WorkerFunction>;
  readonly restApi: RestApi;
  readonly webAcl: WafWebAcl;
  readonly transcribeRule: CloudwatchEventRule;
  /** Dead-letter queue of every EventBridge target (Transcribe events, schedules). */
  readonly eventsDeadLetterQueue: EventTargetDeadLetterQueue;
  readonly alarmTopic: AlarmTopic;
  /** Completion events: stream consumer wiring, SNS FIFO topic, the backend's FIFO queue. */
  readonly jobEvents: JobCompletionEvents;
  /** What the app stack reads. */
  readonly api: {
    readonly restApiId: string;
    readonly stageName: string;
    readonly executionArn: string;
    readonly invokeUrl: string;
  };
  /** Secret holding the usage-plan API key (plain string), for the backend's `x-api-key` header. */
  readonly apiKeySecretArn: string;

  constructor(scope: Construct, props: AiStackProps) {
    super(scope, 'ai', props);
    const { config, data } = props;
    const { accountId, region } = config;
    const catalogue = props.catalogue ?? WORKER_CATALOGUE;
    const specs = Object.values(catalogue);
    const ai = config.ai;
    const transcribeRuleName = this.resourceName('transcribe-state');
    const transcribeRuleArn = `arn:aws:events:${region}:${accountId}:rule/${transcribeRuleName}`;

    // This stack's own key: queues, Lambda environments, code artifacts and alarm notifications.
    // Owned here, with the rule and the alarms it must admit (the data stack comes first and could
    // not refer to them without a cycle).
    this.key = new EncryptionKey(this, 'key', {
      accountId,
      region,
      alias: this.resourceName('ai'),
      description: `Bandup ${config.name}: AI queues, Lambda environments, code artifacts, alarm notifications`,
      viaServices: ['sqs', 'lambda', 's3', 'sns'],
      servicePrincipals: [
        // EventBridge encrypts what it sends to the speaking-finalize queue. Which rule may send is
        // enforced by that queue's policy (aws:SourceArn); KMS gets no source context from SQS here.
        { principal: 'events.amazonaws.com', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
        // CloudWatch alarms publish to the KMS-encrypted alarm topic.
        {
          principal: 'cloudwatch.amazonaws.com',
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          conditions: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ],
      preventDestroy: config.protectStatefulResources,
    });

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: this.resourceName('ai-alarms'),
      accountId,
      key: this.key,
      email: config.observability.alarmEmail,
    });

    this.table = new JobsTable(this, 'jobs-table', {
      name: this.resourceName(JOBS_TABLE.name),
      key: data.keys.data,
      protect: config.protectStatefulResources,
    });

    this.jobEvents = new JobCompletionEvents(this, 'job-events', {
      accountId,
      region,
      resourceName: (suffix) => this.resourceName(suffix),
      environmentName: config.name,
      alarmTopicArn: this.alarmTopic.arn,
      backendVisibilityTimeoutSeconds: ai.jobEvents.backendVisibilityTimeoutSeconds,
      backendMaxReceiveCount: ai.jobEvents.backendMaxReceiveCount,
      replayPrincipalArns: ai.queueReplayPrincipalArns,
      protect: config.protectStatefulResources,
    });
    this.submissionCounters = new SubmissionCountersTable(this, 'submission-counters', {
      name: this.resourceName(SUBMISSION_COUNTERS_TABLE.name),
      key: data.keys.data,
    });
    const submissionLimits: SubmissionLimits = {
      utcOffsetMinutes: ai.learnerDayUtcOffsetMinutes,
      tiers: ai.learnerDailyLimits,
    };

    this.artifactsBucket = new SecureBucket(this, 'artifacts', {
      bucketName: `${this.resourceName('ai-artifacts')}-${accountId}`,
      encryption: this.key,
      noncurrentVersionExpirationDays: 30,
      // Rebuilt from the repository at any time: no prevent_destroy, emptied on destroy.
      preventDestroy: false,
      forceDestroy: true,
    });

    // Queues: visibility from each consumer's timeout, checked before anything is created.
    const consumerOf = (queue: QueueName, source: 'queue' | 'dlq'): FunctionSpec => {
      const found = specs.find(
        (fn) =>
          fn.trigger.type === 'sqs' && fn.trigger.source === source && fn.trigger.queues.includes(queue),
      );
      if (!found)
        throw new Error(
          `No catalogue function consumes the ${source === 'dlq' ? 'DLQ of ' : ''}queue "${queue}"`,
        );
      return found;
    };
    const visibility = (fn: FunctionSpec) =>
      defaultVisibilityTimeout(
        fn.timeoutSeconds,
        fn.trigger.type === 'sqs' ? fn.trigger.batchingWindowSeconds : 0,
      );
    const plan = QUEUE_NAMES.map((queue) => {
      const consumer = consumerOf(queue, 'queue');
      const dlqConsumer = consumerOf(queue, 'dlq');
      const override = ai.queueVisibilityTimeoutSeconds[queue];
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
    });
    assertVisibilityTimeouts(plan.flatMap((p) => [p.main, p.dlq]));
    this.queues = Object.fromEntries(
      plan.map((p) => [
        p.queue,
        new JobQueue(this, `${p.queue}-queue`, {
          name: this.resourceName(p.queue),
          key: this.key,
          visibilityTimeoutSeconds: p.main.visibilityTimeoutSeconds,
          deadLetterVisibilityTimeoutSeconds: p.dlq.visibilityTimeoutSeconds,
          maxReceiveCount: ai.maxReceiveCount,
        }),
      ]),
    ) as Record<QueueName, JobQueue>;

    // Environment values, by catalogue key: a key added to ENV_VARS without a value here fails typecheck.
    const envValues = (fn: FunctionSpec): Record<EnvVarKey, string> => ({
      environment: config.name,
      jobsTable: this.table.name,
      jobsByUserIndex: JOBS_TABLE.byUserIndex.name,
      dataBucket: data.buckets.uploads.name,
      writingQueueUrl: this.queues.writing.url,
      speakingQueueUrl: this.queues.speaking.url,
      flashcardsQueueUrl: this.queues.flashcards.url,
      speakingFinalizeQueueUrl: this.queues['speaking-finalize'].url,
      bedrockRegion: ai.bedrockRegion,
      assessmentModelId: ai.assessmentModelId,
      embeddingModelId: ai.embeddingModelId,
      embeddingDimensions: String(ai.embeddingDimensions),
      geminiSecretArn: data.secrets.gemini.arn,
      geminiModelId: ai.geminiModelId,
      transcribeOutputKmsKeyId: data.keys.data.arn,
      jobEventsTopicArn: this.jobEvents.topic.arn,
      powertoolsServiceName: `bandup-ai-${fn.name}`,
      powertoolsMetricsNamespace: POWERTOOLS_METRICS_NAMESPACE,
      logLevel: LOG_LEVEL,
      submissionLimits: JSON.stringify(submissionLimits),
      submissionCountersTable: this.submissionCounters.name,
    });

    const bundlesDir = props.bundlesDir ?? DEFAULT_BUNDLES_DIR;
    this.functions = Object.fromEntries(
      specs.map((spec) => {
        const values = envValues(spec);
        const keys = [...new Set<EnvVarKey>([...COMMON_ENV_VARS, ...spec.env])];
        const fn = new WorkerFunction(this, `${spec.name}-function`, {
          functionName: this.resourceName(spec.name),
          spec,
          memoryMb: ai.memoryOverridesMb[spec.name] ?? spec.memoryMb,
          bundlesDir,
          artifactsBucket: this.artifactsBucket,
          environment: Object.fromEntries(keys.map((key) => [ENV_VARS[key], values[key]])),
          environmentKeyArn: this.key.arn,
          logKey: data.keys.logs,
          logRetentionDays: config.observability.logRetentionDays,
        });
        return [spec.name, fn];
      }),
    ) as Record<FunctionName, WorkerFunction>;

    for (const fn of Object.values(this.functions)) this.grantCatalogueAccess(fn, data);

    // Transcribe job state changes of this environment's jobs -> speaking-finalize queue.
    this.transcribeRule = new CloudwatchEventRule(this, 'transcribe-state-rule', {
      name: transcribeRuleName,
      description: `Amazon Transcribe jobs of bandup ${config.name} that COMPLETED or FAILED, for speaking-finalize`,
      eventPattern: JSON.stringify({
        source: ['aws.transcribe'],
        'detail-type': ['Transcribe Job State Change'],
        detail: {
          TranscriptionJobName: [{ prefix: transcriptionJobNamePrefix(config.name) }],
          TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
        },
      }),
    });
    const transcribeQueue = this.queues[TRANSCRIBE_EVENTS_QUEUE];
    // Events EventBridge cannot deliver (after its retries) land here instead of being dropped.
    this.eventsDeadLetterQueue = new EventTargetDeadLetterQueue(this, 'events-dlq', {
      name: this.resourceName('events-dlq'),
      key: this.key,
    });
    this.eventsDeadLetterQueue.allowRule(transcribeRuleArn);
    new CloudwatchEventTarget(this, 'transcribe-state-target', {
      rule: this.transcribeRule.name,
      targetId: 'speaking-finalize-queue',
      arn: transcribeQueue.arn,
      // Keep retrying for a day if the queue is unreachable (the FailedInvocations alarm pages).
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: this.eventsDeadLetterQueue.arn },
    });
    // Scheduled functions (the sweeper): a rule per function, its undelivered runs to the same DLQ.
    for (const fn of Object.values(this.functions)) {
      if (fn.spec.trigger.type !== 'schedule') continue;
      const schedule = new FunctionSchedule(this, `${fn.spec.name}-schedule`, {
        ruleName: this.resourceName(`${fn.spec.name}-schedule`),
        expression: fn.spec.trigger.expression,
        functionArn: fn.arn,
        functionName: fn.name,
        deadLetterQueueArn: this.eventsDeadLetterQueue.arn,
      });
      this.eventsDeadLetterQueue.allowRule(schedule.rule.arn);
    }
    transcribeQueue.allowSender({
      kind: 'service',
      service: 'events.amazonaws.com',
      sourceArn: transcribeRuleArn,
    });
    // Operators replaying dead letters (re-sending an archived body to its source queue).
    for (const arnPattern of ai.queueReplayPrincipalArns) {
      if (!arnPattern.includes(`::${accountId}:`)) {
        throw new Error(
          `config.ai.queueReplayPrincipalArns: "${arnPattern}" is not a principal of account ${accountId}`,
        );
      }
      for (const queue of Object.values(this.queues)) queue.allowSender({ kind: 'operator', arnPattern });
    }

    // API: the shared OpenAPI document with infra's integrations, one stage, WAF.
    const apiName = this.resourceName('ai');
    const invokeUris = Object.fromEntries(
      Object.values(this.functions)
        .filter((fn) => fn.spec.trigger.type === 'api')
        .map((fn) => [fn.spec.name, fn.invokeArn]),
    ) as Partial<Record<FunctionName, string>>;
    // Only the backend task role (by its deterministic name: the app stack that owns it is deployed
    // after this one) and the configured operators may invoke the API at all.
    const backendTaskRoleArn = `arn:aws:iam::${accountId}:role/${backendTaskRoleName(config.name)}`;
    for (const arn of ai.apiOperatorPrincipalArns) {
      if (!arn.includes(`::${accountId}:`)) {
        throw new Error(
          `config.ai.apiOperatorPrincipalArns: "${arn}" is not an IAM principal of account ${accountId}`,
        );
      }
    }
    const document = apiGatewayDefinition({
      title: `Bandup AI API (${config.name})`,
      invokeUris,
      resourcePolicy: apiResourcePolicy({
        accountId,
        allowedPrincipalArns: [backendTaskRoleArn, ...ai.apiOperatorPrincipalArns],
      }),
    });
    this.restApi = new RestApi(this, 'api', {
      name: apiName,
      description: `Bandup ${config.name}: IELTS assessment and flashcard jobs (called by the backend with SigV4)`,
      accountId,
      stageName: config.name,
      body: JSON.stringify(document),
      routes: API_OPERATIONS.map((op) => ({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        functionName: this.functions[op.functionName].name,
        usesApiKey: usesApiKey(op),
      })),
      throttle: { rateLimit: ai.throttleRateLimit, burstLimit: ai.throttleBurstLimit },
      quotaPerDay: ai.quotaPerDay,
      readThrottle: { rateLimit: ai.readThrottleRateLimit, burstLimit: ai.readThrottleBurstLimit },
      logKey: data.keys.logs,
      logRetentionDays: config.observability.logRetentionDays,
      secretKey: data.keys.secrets,
      secretRecoveryWindowDays: config.protectStatefulResources ? 30 : 0,
    });
    this.webAcl = new WafWebAcl(this, 'waf', {
      name: this.resourceName('ai-api'),
      description: `Bandup ${config.name}: web ACL of the AI API stage`,
      accountId,
      region,
      rateLimitPer5Minutes: apiWafRateLimit(ai),
      logRetentionDays: config.observability.logRetentionDays,
      logKey: data.keys.logs,
      // A Writing submission carries an essay of up to 12,000 characters plus its prompt, above the
      // rule's 8 KB body limit. Counted, not blocked: the request validator enforces the schema's
      // maximum lengths on every body instead.
      countOnlyRules: { AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] },
    });
    this.webAcl.associate(this.restApi.stageArn, 'api-stage-association');

    this.api = {
      restApiId: this.restApi.id,
      stageName: this.restApi.stageName,
      executionArn: this.restApi.executionArn,
      invokeUrl: this.restApi.invokeUrl,
    };
    this.apiKeySecretArn = this.restApi.apiKeySecret.arn;

    // Alarms: every DLQ, every function, the API, the Transcribe rule.
    const topicArn = this.alarmTopic.arn;
    for (const queue of QUEUE_NAMES) {
      // The queue's literal name (not a reference): readable alarm names in the plan.
      new DeadLetterQueueAlarm(this, `${queue}-dlq-alarm`, {
        queueName: `${this.resourceName(queue)}-dlq`,
        topicArn,
      });
    }
    for (const fn of Object.values(this.functions)) {
      new LambdaFunctionAlarms(this, `${fn.spec.name}-alarms`, {
        functionName: this.resourceName(fn.spec.name),
        topicArn,
      });
    }
    new RestApiAlarms(this, 'api-alarms', { apiName, stageName: config.name, topicArn });
    new EventRuleAlarm(this, 'transcribe-rule-alarm', { ruleName: transcribeRuleName, topicArn });
    this.addJobAlarms(
      topicArn,
      Object.fromEntries(plan.map((p) => [p.queue, p.main.visibilityTimeoutSeconds])) as Record<
        QueueName,
        number
      >,
    );

    this.warnOnMappingConcurrency(specs);

    new TerraformOutput(this, 'api-invoke-url', {
      value: this.restApi.invokeUrl,
      description: 'AI API stage URL',
    });
    new TerraformOutput(this, 'jobs-table-name', { value: this.table.name });
    new TerraformOutput(this, 'job-events-queue-url', {
      value: this.jobEvents.backendQueue.url,
      description: "The backend's SQS FIFO queue of job completion events",
    });
  }

  /** URL of the backend's SQS FIFO queue of completion events. */
  get jobEventsQueueUrl(): string {
    return this.jobEvents.backendQueue.url;
  }

  /** Receive, delete and change visibility on the backend's event queue (the backend task role). */
  grantReceiveJobEvents(grantee: Grantee): void {
    this.jobEvents.grantBackendReceive(grantee);
  }

  /**
   * Alarms on what jobs actually do (all on the alarm topic): queue age, job failure rate, stuck
   * jobs (the sweeper had to step in), Gemini fallback rate and a missing Gemini key, model
   * throttling after the SDK's retries, and undeliverable EventBridge events.
   */
  private addJobAlarms(topicArn: string, visibilitySeconds: Record<QueueName, number>): void {
    const service = (fn: FunctionName) => `bandup-ai-${fn}`;
    const metric = (metricName: string, dimensions: Record<string, string>) => ({
      namespace: AI_METRICS_NAMESPACE,
      metricName,
      dimensions,
    });
    for (const queue of QUEUE_NAMES) {
      // A message is older than its visibility timeout only after a retry; two timeouts (at least
      // 15 minutes) means jobs wait far longer than any run takes.
      new QueueAgeAlarm(this, `${queue}-age-alarm`, {
        queueName: this.resourceName(queue),
        maxAgeSeconds: Math.max(900, 2 * visibilitySeconds[queue]),
        topicArn,
      });
    }
    // Where each kind's jobs finish: Speaking jobs are scored (or fail after transcription) in
    // speaking-finalize; the speaking function only rejects recordings, which are the learner's errors.
    const finishedIn = {
      writing: 'writing',
      flashcards: 'flashcards',
      speaking: 'speaking-finalize',
    } as const;
    for (const kind of ['writing', 'speaking', 'flashcards'] as const) {
      new RateAlarm(this, `${kind}-failure-rate-alarm`, {
        alarmName: this.resourceName(`${kind}-failure-rate`),
        alarmDescription: `${kind} jobs: more than 20% failed in 15 minutes (at least 5 jobs)`,
        part: metric(AI_METRIC_NAMES.jobsFailed, { kind, service: service(finishedIn[kind]) }),
        rest: metric(AI_METRIC_NAMES.jobsSucceeded, { kind, service: service(finishedIn[kind]) }),
        threshold: 0.2,
        minimumCount: 5,
        topicArn,
      });
    }
    new MetricOccurrenceAlarm(this, 'stuck-jobs-alarm', {
      alarmName: this.resourceName('stuck-jobs'),
      alarmDescription:
        'The sweeper resolved jobs past their deadline (a lost message or Transcribe event): find the cause in its logs',
      ...metric(AI_METRIC_NAMES.stuckJobs, { service: service('sweeper') }),
      topicArn,
    });
    new RateAlarm(this, 'gemini-fallback-rate-alarm', {
      alarmName: this.resourceName('gemini-fallback-rate'),
      alarmDescription:
        'Flashcard jobs: more than 25% used keyword queries instead of Gemini in 15 minutes (key, model id or quota)',
      part: metric(AI_METRIC_NAMES.geminiFallbacks, { service: service('flashcards') }),
      rest: metric(AI_METRIC_NAMES.geminiQueries, { service: service('flashcards') }),
      restIsTotal: true,
      threshold: 0.25,
      minimumCount: 4,
      topicArn,
    });
    new MetricOccurrenceAlarm(this, 'gemini-key-missing-alarm', {
      alarmName: this.resourceName('gemini-key-missing'),
      alarmDescription: 'The Gemini API key secret is empty or unset: set it (see the AI workers runbook)',
      ...metric(AI_METRIC_NAMES.geminiKeyMissing, { service: service('flashcards') }),
      topicArn,
    });
    for (const fn of ['writing', 'speaking-finalize', 'flashcards'] as const) {
      new MetricOccurrenceAlarm(this, `${fn}-model-throttles-alarm`, {
        alarmName: this.resourceName(`${fn}-bedrock-throttles`),
        alarmDescription: `${fn}: Bedrock kept throttling after the SDK's retries (raise the on-demand quota or lower concurrency)`,
        ...metric(AI_METRIC_NAMES.bedrockThrottles, { service: service(fn) }),
        topicArn,
      });
    }
    new UnconsumedQueueAlarm(this, 'events-dlq-alarm', {
      queueName: this.resourceName('events-dlq'),
      description:
        'EventBridge could not deliver events (a Transcribe state change or a sweeper run); see the replay runbook',
      topicArn,
    });
  }

  /** `execute-api:Invoke` on exactly the catalogue's routes of this stage (the backend task role). */
  grantInvokeApi(grantee: Grantee): void {
    this.restApi.grantInvoke(grantee);
  }

  // Stryker restore all
  /**
   * Turns a function's catalogue `access` (and trigger) into grants by the constructs that own the
   * resources. Nothing else reaches a function's role.
   */
  private grantCatalogueAccess(fn: WorkerFunction, data: AiDataInputs): void {
    const { spec, role } = fn;
    const { access } = spec;
    const ai = this.config.ai;

    // The jobs table only for functions that are told its name (the upload function is not).
    if (spec.env.includes('jobsTable')) {
      if (access.jobsTable === 'read-write') this.table.grantReadWrite(role);
      else this.table.grantRead(role);
    }

    const bucket = data.buckets.uploads;
    for (const prefix of access.dataBucketRead) bucket.grantRead(role, prefix);
    // Readers check uploads with HeadObject: a missing key must be a 404 (bad request), not a 403.
    if (access.dataBucketRead.length > 0) bucket.grantList(role);
    for (const prefix of access.dataBucketWrite) bucket.grantWrite(role, prefix);
    if (access.dataBucketWrite.length > 0) data.keys.data.grantEncryptDecrypt(role);
    else if (access.dataBucketRead.length > 0) data.keys.data.grantDecrypt(role);

    for (const queue of access.sendsTo) {
      this.queues[queue].grantSend(role);
      this.queues[queue].allowSender({ kind: 'role', arn: role.arn });
    }
    if (spec.trigger.type === 'sqs') {
      const trigger = spec.trigger;
      for (const queue of trigger.queues) {
        const q = this.queues[queue];
        if (trigger.source === 'queue') {
          q.grantConsume(role);
          fn.addSqsSource(`${queue}-source`, q.arn, trigger);
        } else {
          q.grantConsumeDeadLetters(role);
          fn.addSqsSource(`${queue}-dlq-source`, q.deadLetterArn, trigger);
        }
      }
    }

    const models = { assessment: ai.assessmentModelId, embedding: ai.embeddingModelId } as const;
    const modelArns = [...new Set(access.bedrockModels.map((m) => models[m]))].map(
      (id) => `arn:aws:bedrock:${ai.bedrockRegion}::foundation-model/${id}`,
    );
    if (modelArns.length > 0) role.addToPolicy({ actions: ['bedrock:InvokeModel'], resources: modelArns });

    if (access.transcribe) {
      const { region, accountId, name } = this.config;
      role.addToPolicy({
        actions: ['transcribe:GetTranscriptionJob'],
        resources: [
          `arn:aws:transcribe:${region}:${accountId}:transcription-job/${transcriptionJobNamePrefix(name)}*`,
        ],
      });
      // Only the function told the output key starts jobs. StartTranscriptionJob has no resource
      // type (a job does not exist before the call): "*" is the only valid resource, so the request
      // is pinned instead: output only to the data bucket, encrypted only with the data key.
      if (spec.env.includes('transcribeOutputKmsKeyId')) {
        role.addToPolicy({
          actions: ['transcribe:StartTranscriptionJob'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'transcribe:OutputBucketName': bucket.name,
              'transcribe:OutputEncryptionKMSKeyId': data.keys.data.arn,
            },
          },
        });
      }
    }

    if (access.publishesJobEvents) this.jobEvents.grantPublish(role);
    if (spec.trigger.type === 'jobs-stream') {
      this.jobEvents.connectStreamConsumer(fn, this.table, spec.trigger);
    }
    if (access.submissionCounters) this.submissionCounters.grantCount(role);

    if (access.geminiSecret) {
      role.addToPolicy({ actions: ['secretsmanager:GetSecretValue'], resources: [data.secrets.gemini.arn] });
      data.keys.secrets.grantDecrypt(role);
    }
  }
  // Stryker disable all

  /**
   * SQS pollers beyond a function's reserved concurrency are throttled (messages return to the
   * queue and count as receives): warn when the mappings' maximum concurrency exceeds it.
   */
  private warnOnMappingConcurrency(specs: readonly FunctionSpec[]): void {
    for (const spec of specs) {
      if (spec.trigger.type !== 'sqs') continue;
      const total = spec.trigger.maxConcurrency * spec.trigger.queues.length;
      if (total > spec.reservedConcurrency) {
        Annotations.of(this.functions[spec.name]).addWarning(
          `Function ${spec.name}: its ${spec.trigger.queues.length} SQS mapping(s) may run ${total} concurrent ` +
            `invocations but reserved concurrency is ${spec.reservedConcurrency}; the excess is throttled ` +
            '(raise reservedConcurrency or lower maxConcurrency in the worker catalogue)',
        );
      }
    }
  }
}

/**
 * The AI API's WAF rate limit. Every call comes from the backend's NAT address(es), so the per-IP
 * rule must admit the full throttled load from one address, or WAF, not the throttles, would decide
 * when the backend is refused.
 */
function apiWafRateLimit(ai: EnvironmentConfig['ai']): number {
  const peak = 300 * (ai.throttleRateLimit + ai.readThrottleRateLimit);
  if (ai.apiWafRateLimitPer5Minutes < peak) {
    throw new Error(
      `config.ai.apiWafRateLimitPer5Minutes: ${ai.apiWafRateLimitPer5Minutes} is below 300 x (throttleRateLimit ` +
        `${ai.throttleRateLimit} + readThrottleRateLimit ${ai.readThrottleRateLimit}) = ${peak}; the backend's ` +
        'calls all come from its NAT address, so WAF would block them before the API throttles do',
    );
  }
  return ai.apiWafRateLimitPer5Minutes;
}
