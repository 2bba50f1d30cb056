import { S3_PREFIXES } from '../names.js';
import { COMMON_ENV_VARS, ENV_VARS, type EnvVarKey } from './env-vars.js';
import type { QueueName } from './queues.js';

/** Every Lambda function of the AI service. Bundles live at `apps/ai-workers/dist/<name>/index.mjs`. */
export const FUNCTION_NAMES = [
  'submit',
  'status',
  'upload',
  'writing',
  'speaking',
  'speaking-finalize',
  'flashcards',
  'dead-letter',
  'job-events',
  'sweeper',
  'history',
  'test-band',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** OpenAPI path, e.g. `/v1/jobs/{jobId}`. */
  readonly path: string;
}

/** A function invoked by API Gateway (Lambda proxy integration). */
export interface ApiTrigger {
  readonly type: 'api';
  readonly routes: readonly ApiRoute[];
}

/**
 * A function fed by SQS. `source: 'queue'` consumes the named queues themselves; `source: 'dlq'`
 * consumes their dead-letter queues (the dead-letter function).
 */
export interface SqsTrigger {
  readonly type: 'sqs';
  readonly source: 'queue' | 'dlq';
  readonly queues: readonly QueueName[];
  /** Records per invocation. */
  readonly batchSize: number;
  /** Event source mapping `scaling_config.maximum_concurrency` (2-1000). */
  readonly maxConcurrency: number;
  /** Seconds to gather a batch (0 = deliver at once). */
  readonly batchingWindowSeconds: number;
}

/**
 * A function fed by the jobs table's DynamoDB Stream (NEW_AND_OLD_IMAGES), with partial batch
 * responses, bisect on error and an on-failure destination (infra adds those).
 */
export interface StreamTrigger {
  readonly type: 'jobs-stream';
  /** Records per invocation (1-10000). */
  readonly batchSize: number;
  /** Seconds to gather a batch (0 = deliver at once). */
  readonly batchingWindowSeconds: number;
  /** Retries of a failing batch before its records go to the on-failure destination. */
  readonly maxRetryAttempts: number;
}

/**
 * A function run on a schedule (an EventBridge rule; its target has a dead-letter queue).
 * `expression`: `rate(...)` or `cron(...)`.
 */
export interface ScheduleTrigger {
  readonly type: 'schedule';
  readonly expression: string;
}

/** What a function may touch: infra derives each function's least-privilege IAM policy from this. */
export interface FunctionAccess {
  /** Jobs table (and its by-user index). */
  readonly jobsTable: 'read' | 'read-write';
  /** Key prefixes of the data bucket the function reads / writes. */
  readonly dataBucketRead: readonly string[];
  readonly dataBucketWrite: readonly string[];
  /** Queues the function sends messages to. */
  readonly sendsTo: readonly QueueName[];
  /** Bedrock models the function invokes. */
  readonly bedrockModels: readonly ('assessment' | 'embedding')[];
  /** Starts and reads Amazon Transcribe jobs. */
  readonly transcribe: boolean;
  /** Reads the Gemini API key secret. */
  readonly geminiSecret: boolean;
  /** Publishes to the job completion events topic. */
  readonly publishesJobEvents?: boolean;
  /** Counts learners' daily submissions (atomic updates of the submission counters table). */
  readonly submissionCounters?: boolean;
}

export interface FunctionSpec {
  readonly name: FunctionName;
  readonly description: string;
  readonly trigger: ApiTrigger | SqsTrigger | StreamTrigger | ScheduleTrigger;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency: caps what one function can take from the account pool. */
  readonly reservedConcurrency: number;
  /** Environment variables the function reads (the common ones are added to every function). */
  readonly env: readonly EnvVarKey[];
  readonly access: FunctionAccess;
}

const NO_ACCESS: FunctionAccess = {
  jobsTable: 'read',
  dataBucketRead: [],
  dataBucketWrite: [],
  sendsTo: [],
  bedrockModels: [],
  transcribe: false,
  geminiSecret: false,
};

const MODEL_ENV: readonly EnvVarKey[] = ['bedrockRegion', 'assessmentModelId'];
const JOB_ENV: readonly EnvVarKey[] = ['jobsTable', 'jobsByUserIndex', 'dataBucket'];

/**
 * The one table of functions. Infra creates a function, role, log group and (for SQS triggers) a
 * queue, DLQ and event source mapping per entry; workers read their env through it.
 */
export const WORKER_CATALOGUE: Readonly<Record<FunctionName, FunctionSpec>> = {
  submit: {
    name: 'submit',
    description: 'Validates an assessment or flashcard request, records the job as QUEUED and enqueues it',
    trigger: {
      type: 'api',
      routes: [
        { method: 'POST', path: '/v1/writing/assessments' },
        { method: 'POST', path: '/v1/speaking/assessments' },
        { method: 'POST', path: '/v1/flashcards/sets' },
      ],
    },
    memoryMb: 512,
    timeoutSeconds: 10,
    reservedConcurrency: 50,
    env: [
      ...JOB_ENV,
      'writingQueueUrl',
      'speakingQueueUrl',
      'flashcardsQueueUrl',
      'submissionLimits',
      'submissionCountersTable',
    ],
    access: {
      ...NO_ACCESS,
      jobsTable: 'read-write',
      submissionCounters: true,
      dataBucketRead: [S3_PREFIXES.uploads],
      sendsTo: ['writing', 'speaking', 'flashcards'],
    },
  },
  status: {
    name: 'status',
    description: 'Returns a job status and, when finished, its result',
    trigger: { type: 'api', routes: [{ method: 'GET', path: '/v1/jobs/{jobId}' }] },
    memoryMb: 256,
    timeoutSeconds: 10,
    reservedConcurrency: 50,
    env: [...JOB_ENV],
    access: { ...NO_ACCESS, jobsTable: 'read', dataBucketRead: [S3_PREFIXES.results] },
  },
  upload: {
    name: 'upload',
    description:
      'Issues a presigned POST for an audio recording or a document, with type and size enforced by S3',
    trigger: { type: 'api', routes: [{ method: 'POST', path: '/v1/uploads' }] },
    memoryMb: 256,
    timeoutSeconds: 10,
    reservedConcurrency: 50,
    env: ['dataBucket'],
    access: { ...NO_ACCESS, dataBucketWrite: [S3_PREFIXES.uploads] },
  },
  writing: {
    name: 'writing',
    description: 'Assesses an IELTS Writing task with the assessment model on Bedrock',
    trigger: {
      type: 'sqs',
      source: 'queue',
      queues: ['writing'],
      batchSize: 5,
      maxConcurrency: 10,
      batchingWindowSeconds: 0,
    },
    memoryMb: 1024,
    timeoutSeconds: 120,
    reservedConcurrency: 20,
    env: [...JOB_ENV, ...MODEL_ENV],
    access: {
      ...NO_ACCESS,
      jobsTable: 'read-write',
      dataBucketWrite: [S3_PREFIXES.results],
      bedrockModels: ['assessment'],
    },
  },
  speaking: {
    name: 'speaking',
    description: 'Checks an uploaded recording and starts its Amazon Transcribe job',
    trigger: {
      type: 'sqs',
      source: 'queue',
      queues: ['speaking'],
      batchSize: 5,
      maxConcurrency: 5,
      batchingWindowSeconds: 0,
    },
    memoryMb: 512,
    timeoutSeconds: 60,
    reservedConcurrency: 10,
    env: [...JOB_ENV, 'transcribeOutputKmsKeyId'],
    access: {
      ...NO_ACCESS,
      jobsTable: 'read-write',
      dataBucketRead: [S3_PREFIXES.uploads],
      dataBucketWrite: [S3_PREFIXES.transcripts],
      transcribe: true,
    },
  },
  'speaking-finalize': {
    name: 'speaking-finalize',
    description: 'On a Transcribe state change: computes fluency features and scores the Speaking test',
    trigger: {
      type: 'sqs',
      source: 'queue',
      queues: ['speaking-finalize'],
      batchSize: 5,
      maxConcurrency: 5,
      batchingWindowSeconds: 0,
    },
    memoryMb: 1024,
    timeoutSeconds: 120,
    reservedConcurrency: 10,
    env: [...JOB_ENV, ...MODEL_ENV],
    access: {
      ...NO_ACCESS,
      jobsTable: 'read-write',
      dataBucketRead: [S3_PREFIXES.transcripts],
      dataBucketWrite: [S3_PREFIXES.results],
      bedrockModels: ['assessment'],
      transcribe: true,
    },
  },
  flashcards: {
    name: 'flashcards',
    description: 'Generates cited flashcards from a document with RAG (Titan embeddings, Gemini queries)',
    trigger: {
      type: 'sqs',
      source: 'queue',
      queues: ['flashcards'],
      batchSize: 1,
      maxConcurrency: 5,
      batchingWindowSeconds: 0,
    },
    memoryMb: 2048,
    timeoutSeconds: 300,
    reservedConcurrency: 10,
    env: [
      ...JOB_ENV,
      ...MODEL_ENV,
      'embeddingModelId',
      'embeddingDimensions',
      'geminiSecretArn',
      'geminiModelId',
    ],
    access: {
      ...NO_ACCESS,
      jobsTable: 'read-write',
      dataBucketRead: [S3_PREFIXES.uploads, S3_PREFIXES.embeddings],
      dataBucketWrite: [S3_PREFIXES.embeddings, S3_PREFIXES.results],
      bedrockModels: ['assessment', 'embedding'],
      geminiSecret: true,
    },
  },
  'dead-letter': {
    name: 'dead-letter',
    description:
      'Marks jobs whose messages exhausted their retries as FAILED and archives the message for replay',
    trigger: {
      type: 'sqs',
      source: 'dlq',
      queues: ['writing', 'speaking', 'speaking-finalize', 'flashcards'],
      batchSize: 10,
      maxConcurrency: 2,
      batchingWindowSeconds: 0,
    },
    memoryMb: 256,
    timeoutSeconds: 30,
    // Each of the four DLQ mappings polls with at least 2 concurrent invocations (the SQS minimum):
    // anything below 4 x 2 throttles the pollers and returns dead messages to their DLQs.
    reservedConcurrency: 8,
    env: [...JOB_ENV],
    access: { ...NO_ACCESS, jobsTable: 'read-write', dataBucketWrite: [S3_PREFIXES.deadLetters] },
  },
  'job-events': {
    name: 'job-events',
    description:
      'Publishes one completion event per job that reaches SUCCEEDED or FAILED, from the jobs table stream',
    trigger: { type: 'jobs-stream', batchSize: 100, batchingWindowSeconds: 0, maxRetryAttempts: 50 },
    memoryMb: 256,
    timeoutSeconds: 30,
    // Stream shards are read one batch at a time (parallelization factor 1, so a job's records stay
    // in order); the table has few shards, so a handful of concurrent invocations is plenty.
    reservedConcurrency: 5,
    // No table access: the stream carries the items. Results too big for the item are read from S3.
    env: ['dataBucket', 'jobEventsTopicArn'],
    access: { ...NO_ACCESS, dataBucketRead: [S3_PREFIXES.results], publishesJobEvents: true },
  },
  sweeper: {
    name: 'sweeper',
    description:
      'Every 5 minutes: resolves jobs past their deadline (re-sends lost Transcribe events, fails the rest TIMED_OUT)',
    trigger: { type: 'schedule', expression: 'rate(5 minutes)' },
    memoryMb: 256,
    timeoutSeconds: 120,
    // One sweep at a time: a second would only race the first's conditional writes.
    reservedConcurrency: 1,
    env: [...JOB_ENV, 'speakingFinalizeQueueUrl'],
    access: { ...NO_ACCESS, jobsTable: 'read-write', sendsTo: ['speaking-finalize'], transcribe: true },
  },
  history: {
    name: 'history',
    description: "Lists a learner's jobs, newest first, a page at a time, optionally of one kind",
    trigger: { type: 'api', routes: [{ method: 'GET', path: '/v1/jobs' }] },
    memoryMb: 256,
    timeoutSeconds: 10,
    reservedConcurrency: 20,
    env: [...JOB_ENV],
    // Summaries come from the items alone (bands of inline results): no S3 access.
    access: { ...NO_ACCESS, jobsTable: 'read' },
  },
  'test-band': {
    name: 'test-band',
    description:
      'Combines finished Writing tasks or Speaking parts of one learner into the Writing or Speaking band of a test',
    trigger: {
      type: 'api',
      routes: [
        { method: 'GET', path: '/v1/writing/test-band' },
        { method: 'GET', path: '/v1/speaking/test-band' },
      ],
    },
    memoryMb: 256,
    timeoutSeconds: 10,
    reservedConcurrency: 20,
    env: [...JOB_ENV],
    access: { ...NO_ACCESS, jobsTable: 'read', dataBucketRead: [S3_PREFIXES.results] },
  },
};

/** The catalogue as a list, in declaration order. */
export const WORKER_FUNCTIONS: readonly FunctionSpec[] = FUNCTION_NAMES.map((name) => WORKER_CATALOGUE[name]);

/** All env var *names* a function receives: its own plus the common ones. */
export function envVarNamesFor(fn: FunctionName): readonly string[] {
  const keys = new Set<EnvVarKey>([...COMMON_ENV_VARS, ...WORKER_CATALOGUE[fn].env]);
  return [...keys].map((key) => ENV_VARS[key]);
}

/**
 * The function that consumes a queue or, with `source: 'dlq'`, its dead-letter queue, among
 * `functions` (default: the catalogue; infra passes the catalogue it was given).
 */
export function consumerOf(
  queue: QueueName,
  source: 'queue' | 'dlq' = 'queue',
  functions: readonly FunctionSpec[] = WORKER_FUNCTIONS,
): FunctionSpec {
  const found = functions.find(
    (fn) => fn.trigger.type === 'sqs' && fn.trigger.source === source && fn.trigger.queues.includes(queue),
  );
  if (!found) {
    const what = source === 'dlq' ? `the dead-letter queue of queue "${queue}"` : `queue "${queue}"`;
    throw new Error(`No function consumes ${what} in the worker catalogue`);
  }
  return found;
}
