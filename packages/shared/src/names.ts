import type { TerminalJobStatus } from './schemas/job-event.js';

/**
 * Naming scheme shared by every resource the platform creates, so that infrastructure and
 * the code that runs on it agree on one spelling (the original drifted between `bandup-*`,
 * `ielts-*` and `ielts-ai-dev-*`).
 */
export const PROJECT = 'bandup' as const;

/** Deployment environments. `staging` is supported by the name scheme; configs exist for dev and prod. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** `bandup-<env>-<name>`: the one name format for every resource of an environment. */
export function resourceName(env: EnvironmentName, name: string): string {
  return `${PROJECT}-${env}-${name}`;
}

/**
 * IAM role name of the backend's ECS task role (the app stack's `bandup-<env>-backend` task family
 * plus `-task`). The AI API's resource policy admits it by this name: the AI stack is deployed
 * before the app stack, so it cannot reference the role itself without a dependency cycle.
 */
export function backendTaskRoleName(env: EnvironmentName): string {
  return `${resourceName(env, 'backend')}-task`;
}

/** The kinds of AI job; each has its own queue and worker. */
export const JOB_KINDS = ['writing', 'speaking', 'flashcards'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Job lifecycle: QUEUED -> RUNNING -> SUCCEEDED | FAILED. Terminal states never change again. */
export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED'];

/** Whether a value (a status read from a stream image, say) is a terminal job status. */
export function isTerminalJobStatus(status: unknown): status is TerminalJobStatus {
  return TERMINAL_JOB_STATUSES.includes(status as JobStatus);
}

/**
 * Key prefixes inside the AI data bucket (the data stack's `uploads` bucket). IAM policies are
 * scoped to these prefixes, so each function can touch only the part of the bucket it needs.
 */
export const S3_PREFIXES = {
  /** Learner uploads: `uploads/<kind>/<userId>/<uuid>.<ext>`. */
  uploads: 'uploads/',
  /** Job results too large for a DynamoDB item: `results/<jobId>.json`. */
  results: 'results/',
  /** Embedding cache: `embeddings/<modelId>/<dimensions>/<sha256>.json`. */
  embeddings: 'embeddings/',
  /** Amazon Transcribe output: `transcripts/<env>/<jobId>/...`. */
  transcripts: 'transcripts/',
  /** Messages that exhausted their retries, kept for replay: `dead-letters/<queue>/<jobId>/<messageId>.json`. */
  deadLetters: 'dead-letters/',
} as const;

/** Jobs expire (DynamoDB TTL on `expiresAt`) this many days after creation. */
export const JOB_TTL_DAYS = 30;

/**
 * DynamoDB table of per-learner daily submission counters, apart from the jobs table so that its
 * items never appear in job listings or the jobs table's stream. Key `counterId` =
 * `<userId>#<kind>#<YYYY-MM-DD of the learner's day>`; TTL on `expiresAt`.
 */
export const SUBMISSION_COUNTERS_TABLE = {
  name: 'submission-counters',
  partitionKey: 'counterId',
  ttlAttribute: 'expiresAt',
} as const;

/** DynamoDB jobs table: partition key and the by-user index. */
export const JOBS_TABLE = {
  name: 'jobs',
  partitionKey: 'jobId',
  byUserIndex: { name: 'by-user', partitionKey: 'userId', sortKey: 'createdAt' },
  ttlAttribute: 'expiresAt',
  /**
   * Sparse index of unfinished jobs by deadline (epoch ms), for the sweeper: only QUEUED/RUNNING
   * jobs carry `sweepShard`, and every terminal transition removes it.
   */
  byDeadlineIndex: { name: 'by-deadline', partitionKey: 'sweepShard', sortKey: 'deadlineAt' },
} as const;
