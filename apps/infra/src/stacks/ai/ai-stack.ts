import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FunctionName,
  type FunctionSpec,
  JOBS_TABLE,
  type QueueName,
  SUBMISSION_COUNTERS_TABLE,
  WORKER_CATALOGUE,
} from '@bandup/shared';
import type { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { JobsTable } from '../../constructs/data/jobs-table.js';
import { SecureBucket } from '../../constructs/data/secure-bucket.js';
import { SubmissionCountersTable } from '../../constructs/data/submission-counters-table.js';
import { AlarmTopic } from '../../constructs/observability/alarm-topic.js';
import type { Grantee } from '../../constructs/security/iam/policy-document.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';
import type { WafWebAcl } from '../../constructs/security/waf-web-acl.js';
import { EventTargetDeadLetterQueue } from '../../constructs/serverless/event-target-dead-letter-queue.js';
import { JobCompletionEvents } from '../../constructs/serverless/job-completion-events.js';
import type { JobQueue, QueueKey } from '../../constructs/serverless/job-queue.js';
import type { RestApi } from '../../constructs/serverless/rest-api.js';
import type { WorkerFunction } from '../../constructs/serverless/worker-function.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';
import { AiAlarms } from './ai-alarms.js';
import { AiApi } from './ai-api.js';
import { aiKey } from './ai-key.js';
import { JobQueues } from './job-queues.js';
import { TRANSCRIBE_EVENTS_QUEUE, TranscribeEventsRoute } from './transcribe-events-route.js';
import { WorkerFleet } from './worker-fleet.js';

/** A KMS key as the AI stack uses it (the data stack's `EncryptionKey`). */
interface AiKey extends QueueKey {}

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

/**
 * `bandup-<env>-ai`: the serverless AI service (docs/ai-stack.md), built entirely from the shared
 * worker catalogue: one Lambda function, role and log group per entry, one SQS queue and DLQ per
 * queue name with the catalogue's consumer, the REST API from the shared OpenAPI document, the
 * jobs table, the Transcribe EventBridge route, WAF on the API stage, and alarms.
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

  constructor(scope: Construct, props: AiStackProps) {
    super(scope, 'ai', props);
    const { config, data } = props;
    const catalogue = Object.values(props.catalogue ?? WORKER_CATALOGUE);
    this.key = aiKey(this, 'key', config);
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: this.resourceName('ai-alarms'),
      accountId: config.accountId,
      key: this.key,
      email: config.observability.alarmEmail,
    });
    const stores = this.createStores(config, data);
    this.table = stores.table;
    this.submissionCounters = stores.submissionCounters;
    this.jobEvents = stores.jobEvents;
    this.artifactsBucket = stores.artifactsBucket;
    const jobQueues = new JobQueues(this, 'job-queues', { config, key: this.key, catalogue });
    this.queues = jobQueues.queues;
    // Events EventBridge cannot deliver (after its retries) land here instead of being dropped.
    this.eventsDeadLetterQueue = new EventTargetDeadLetterQueue(this, 'events-dlq', {
      name: this.resourceName('events-dlq'),
      key: this.key,
    });
    const transcribe = new TranscribeEventsRoute(this, 'transcribe-events', {
      config,
      queue: this.queues[TRANSCRIBE_EVENTS_QUEUE],
      deadLetterQueue: this.eventsDeadLetterQueue,
    });
    this.transcribeRule = transcribe.rule;
    this.functions = new WorkerFleet(this, 'workers', {
      ...stores,
      config,
      data,
      catalogue,
      queues: this.queues,
      bundlesDir: props.bundlesDir ?? DEFAULT_BUNDLES_DIR,
      key: this.key,
      eventsDeadLetterQueue: this.eventsDeadLetterQueue,
    }).functions;
    const api = new AiApi(this, 'ai-api', { config, keys: data.keys, functions: this.functions });
    this.restApi = api.restApi;
    this.webAcl = api.webAcl;
    new AiAlarms(this, 'alarms', {
      config,
      topicArn: this.alarmTopic.arn,
      functionNames: catalogue.map((spec) => spec.name),
      visibilitySeconds: jobQueues.visibilitySeconds,
      apiName: api.name,
      transcribeRuleName: transcribe.ruleName,
      eventsDeadLetterQueueName: this.resourceName('events-dlq'),
    });
    this.addOutputs();
  }

  /** The jobs table and its completion events, the submission counters, the code artifacts bucket. */
  private createStores(config: EnvironmentConfig, data: AiDataInputs) {
    const table = new JobsTable(this, 'jobs-table', {
      name: this.resourceName(JOBS_TABLE.name),
      key: data.keys.data,
      protect: config.protectStatefulResources,
    });
    const jobEvents = new JobCompletionEvents(this, 'job-events', {
      accountId: config.accountId,
      region: config.region,
      resourceName: (suffix) => this.resourceName(suffix),
      environmentName: config.name,
      alarmTopicArn: this.alarmTopic.arn,
      backendVisibilityTimeoutSeconds: config.ai.jobEvents.backendVisibilityTimeoutSeconds,
      backendMaxReceiveCount: config.ai.jobEvents.backendMaxReceiveCount,
      replayPrincipalArns: config.ai.queueReplayPrincipalArns,
      protect: config.protectStatefulResources,
    });
    const submissionCounters = new SubmissionCountersTable(this, 'submission-counters', {
      name: this.resourceName(SUBMISSION_COUNTERS_TABLE.name),
      key: data.keys.data,
    });
    const artifactsBucket = new SecureBucket(this, 'artifacts', {
      bucketName: `${this.resourceName('ai-artifacts')}-${config.accountId}`,
      encryption: this.key,
      noncurrentVersionExpirationDays: 30,
      // Rebuilt from the repository at any time: no prevent_destroy, emptied on destroy.
      preventDestroy: false,
      forceDestroy: true,
    });
    return { table, jobEvents, submissionCounters, artifactsBucket };
  }

  private addOutputs(): void {
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

  /** What the app stack reads. */
  get api(): { restApiId: string; stageName: string; executionArn: string; invokeUrl: string } {
    const { id, stageName, executionArn, invokeUrl } = this.restApi;
    return { restApiId: id, stageName, executionArn, invokeUrl };
  }

  /** Secret holding the usage-plan API key (plain string), for the backend's `x-api-key` header. */
  get apiKeySecretArn(): string {
    return this.restApi.apiKeySecret.arn;
  }

  /** URL of the backend's SQS FIFO queue of completion events. */
  get jobEventsQueueUrl(): string {
    return this.jobEvents.backendQueue.url;
  }

  /** Receive, delete and change visibility on the backend's event queue (the backend task role). */
  grantReceiveJobEvents(grantee: Grantee): void {
    this.jobEvents.grantBackendReceive(grantee);
  }

  /** `execute-api:Invoke` on exactly the catalogue's routes of this stage (the backend task role). */
  grantInvokeApi(grantee: Grantee): void {
    this.restApi.grantInvoke(grantee);
  }
}
