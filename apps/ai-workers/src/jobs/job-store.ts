import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  formatIssues,
  JOB_RESULT_SCHEMAS,
  JOB_TTL_DAYS,
  type JobKind,
  type JobResult,
  JobResultSchema,
} from '@bandup/shared';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
import { idempotentJobId, newJobId } from './job-id.js';
import { isTerminal, type JobFailure, type JobItem } from './job-item.js';
import { IdempotencyConflictError, InvalidResultError } from './job-store-errors.js';
import { INLINE_RESULT_MAX_BYTES, type ResultStore } from './result-store.js';

export interface JobStoreConfig {
  readonly tableName: string;
  readonly byUserIndexName: string;
  readonly results: ResultStore;
  /** Injected clock, for tests of timestamps and TTL. */
  readonly now?: () => Date;
}

export interface NewJob {
  readonly userId: string;
  readonly kind: JobKind;
  readonly principal: string;
  /** Fingerprint of the validated request (see `requestFingerprint`). */
  readonly requestHash: string;
  readonly idempotencyKey?: string;
}

export type CreateJobResult =
  | { readonly created: true; readonly job: JobItem }
  /** An idempotent replay: the job the key already maps to. */
  | { readonly created: false; readonly job: JobItem };

export type StartJobResult =
  | { readonly outcome: 'started'; readonly job: JobItem }
  /** Already SUCCEEDED or FAILED: a redelivered or late message; nothing changed. */
  | { readonly outcome: 'terminal'; readonly job: JobItem }
  | { readonly outcome: 'missing' };

export interface JobPage {
  readonly jobs: readonly JobItem[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

/** Cap on `error.details` so a huge diagnostic (a raw model answer) can never make the item too big. */
const ERROR_DETAILS_MAX_BYTES = 16 * 1024;
const ERROR_MESSAGE_MAX_CHARS = 2000;

const ACTIVE = { ':queued': 'QUEUED', ':running': 'RUNNING' } as const;

/** Index pages read at most to fill one filtered history page (bounds the latency of a sparse kind). */
const HISTORY_MAX_QUERIES = 5;

/**
 * The jobs table. Every status change is a conditional write, so the lifecycle
 * `QUEUED -> RUNNING -> SUCCEEDED | FAILED` holds under redelivery, concurrency and late messages:
 * a terminal job never changes again.
 */
export class JobStore {
  private readonly now: () => Date;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly config: JobStoreConfig,
  ) {
    this.now = config.now ?? (() => new Date());
  }

  /**
   * Records a new QUEUED job. With an idempotency key the job id is derived from user and key
   * (`idempotentJobId`), so a replay hits the same item: the conditional put fails and the existing
   * job is returned, or `IdempotencyConflictError` is thrown when the key was used for a different
   * request. One exception: a job whose message never reached the queue (`enqueueFailed`) may be
   * re-created by a replay of the *same* request, so that a client retrying after a 503 succeeds.
   */
  async create(input: NewJob): Promise<CreateJobResult> {
    const now = this.now();
    const jobId = input.idempotencyKey ? idempotentJobId(input.userId, input.idempotencyKey) : newJobId();
    const job: JobItem = {
      jobId,
      userId: input.userId,
      kind: input.kind,
      status: 'QUEUED',
      principal: input.principal,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      attempts: 0,
      requestHash: input.requestHash,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      expiresAt: Math.floor(now.getTime() / 1000) + JOB_TTL_DAYS * 24 * 3600,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.config.tableName,
          Item: job,
          ConditionExpression: input.idempotencyKey
            ? 'attribute_not_exists(jobId) OR (#status = :failed AND enqueueFailed = :true AND requestHash = :hash)'
            : 'attribute_not_exists(jobId)',
          ...(input.idempotencyKey
            ? {
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':failed': 'FAILED', ':true': true, ':hash': input.requestHash },
              }
            : {}),
        }),
      );
      return { created: true, job };
    } catch (error) {
      if (!isConditionalCheckFailed(error) || !input.idempotencyKey) throw error;
    }
    const existing = await this.get(jobId);
    if (!existing) {
      // The item vanished between the write and the read (TTL expiry): the key is free again.
      return this.create(input);
    }
    if (existing.userId !== input.userId || existing.requestHash !== input.requestHash) {
      throw new IdempotencyConflictError(input.idempotencyKey, existing.jobId);
    }
    return { created: false, job: existing };
  }

  /** The job, read strongly consistent (status answers must not lag behind a transition). */
  async get(jobId: string): Promise<JobItem | undefined> {
    const answer = await this.doc.send(
      new GetCommand({ TableName: this.config.tableName, Key: { jobId }, ConsistentRead: true }),
    );
    return answer.Item as JobItem | undefined;
  }

  /** `QUEUED | RUNNING -> RUNNING`, counting the attempt. A redelivery of a RUNNING job starts it again. */
  async start(jobId: string): Promise<StartJobResult> {
    const now = this.now().toISOString();
    try {
      const answer = await this.doc.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: { jobId },
          UpdateExpression:
            'SET #status = :running, attempts = if_not_exists(attempts, :zero) + :one, startedAt = if_not_exists(startedAt, :now), updatedAt = :now',
          ConditionExpression: 'attribute_exists(jobId) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...ACTIVE, ':zero': 0, ':one': 1, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'started', job: answer.Attributes as JobItem };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.get(jobId);
    if (!existing) return { outcome: 'missing' };
    if (isTerminal(existing.status)) return { outcome: 'terminal', job: existing };
    // Not terminal yet the condition failed: it changed under us; let the caller retry the message.
    throw new Error(`Job ${jobId} changed status concurrently (now ${existing.status})`);
  }

  /**
   * `RUNNING -> SUCCEEDED`. The result must match the kind's shared result schema (so the status API
   * can always serve it); otherwise `InvalidResultError`, a worker bug. Results larger than `INLINE_RESULT_MAX_BYTES` go to S3 first and the item
   * keeps a pointer. Returns false (and changes nothing) when the job is not RUNNING any more.
   */
  async succeed(
    job: string | Pick<JobItem, 'jobId' | 'kind'>,
    result: unknown,
    model?: ModelMetadata,
  ): Promise<boolean> {
    const jobId = typeof job === 'string' ? job : job.jobId;
    // With only an id, the result must match one of the kinds' schemas; with the kind, exactly its own.
    const schema = typeof job === 'string' ? JobResultSchema : JOB_RESULT_SCHEMAS[job.kind];
    const checked = schema.safeParse(result);
    if (!checked.success) {
      throw new InvalidResultError(typeof job === 'string' ? 'job' : job.kind, formatIssues(checked.error));
    }
    const json = JSON.stringify(checked.data);
    const inline = Buffer.byteLength(json, 'utf8') <= INLINE_RESULT_MAX_BYTES;
    const stored = inline
      ? { attribute: 'result', value: checked.data as JobResult }
      : { attribute: 'resultPointer', value: await this.config.results.put(jobId, json) };
    const now = this.now().toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: { jobId },
          UpdateExpression: `SET #status = :succeeded, #stored = :stored, finishedAt = :now, updatedAt = :now${model ? ', model = :model' : ''}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', '#stored': stored.attribute },
          ExpressionAttributeValues: {
            ':succeeded': 'SUCCEEDED',
            ':running': 'RUNNING',
            ':stored': stored.value,
            ':now': now,
            ...(model ? { ':model': model } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * `QUEUED | RUNNING -> FAILED` with the error. QUEUED is allowed because a job can fail before it
   * ever ran (its message could not be sent, was invalid, or reached the dead-letter queue).
   * Returns false (and changes nothing) when the job is missing or already terminal.
   */
  async fail(
    jobId: string,
    failure: JobFailure,
    options: { enqueueFailed?: boolean } = {},
  ): Promise<boolean> {
    const now = this.now().toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: { jobId },
          UpdateExpression: `SET #status = :failed, #error = :error, finishedAt = :now, updatedAt = :now${options.enqueueFailed ? ', enqueueFailed = :true' : ''}`,
          ConditionExpression: 'attribute_exists(jobId) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ...ACTIVE,
            ':failed': 'FAILED',
            ':error': boundedFailure(failure),
            ':now': now,
            ...(options.enqueueFailed ? { ':true': true } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Notes why an attempt failed and will be retried (`lastAttemptError`), so that if the message ends
   * in the DLQ the dead-letter function can say what kept failing. Only while RUNNING; a no-op otherwise.
   */
  async noteRetry(jobId: string, reason: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: { jobId },
          UpdateExpression: 'SET lastAttemptError = :reason, updatedAt = :now',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':reason': reason.slice(0, 1000),
            ':running': 'RUNNING',
            ':now': this.now().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /** The result of a SUCCEEDED job, loaded from S3 when it was stored there. */
  async resultOf(job: JobItem): Promise<unknown> {
    if (job.resultPointer) return this.config.results.get(job.resultPointer);
    return job.result;
  }

  /**
   * A user's jobs, newest first, through the by-user index (userId + createdAt), optionally of one
   * kind. A kind filter is applied by DynamoDB after it reads a page, so several pages may be read
   * to fill one (at most `HISTORY_MAX_QUERIES`); a page may then be short and still have a cursor.
   */
  async listByUser(
    userId: string,
    options: { limit?: number; cursor?: string; kind?: JobKind } = {},
  ): Promise<JobPage> {
    const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
    const scope = { userId, ...(options.kind ? { kind: options.kind } : {}) };
    let startKey: Record<string, unknown> | undefined = options.cursor
      ? { ...decodeHistoryCursor(options.cursor, scope) }
      : undefined;
    const jobs: JobItem[] = [];
    for (let query = 0; query < HISTORY_MAX_QUERIES; query++) {
      const answer = await this.doc.send(
        new QueryCommand({
          TableName: this.config.tableName,
          IndexName: this.config.byUserIndexName,
          KeyConditionExpression: 'userId = :userId',
          ...(options.kind
            ? {
                FilterExpression: '#kind = :kind',
                ExpressionAttributeNames: { '#kind': 'kind' },
                ExpressionAttributeValues: { ':userId': userId, ':kind': options.kind },
              }
            : { ExpressionAttributeValues: { ':userId': userId } }),
          ScanIndexForward: false,
          Limit: limit - jobs.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      jobs.push(...((answer.Items ?? []) as JobItem[]));
      startKey = answer.LastEvaluatedKey;
      if (!startKey || jobs.length >= limit) break;
    }
    if (!startKey) return { jobs };
    const last = startKey as Record<string, string>;
    const position = { jobId: last.jobId ?? '', userId, createdAt: last.createdAt ?? '' };
    return { jobs, nextCursor: encodeHistoryCursor(position, scope) };
  }
}

/** By name, not `instanceof`: robust when two copies of the SDK end up in a bundle or a test. */
function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Keeps a failure within the shared `JobErrorSchema` (message <= 2,000 chars) and the item budget. */
function boundedFailure(failure: JobFailure): JobFailure {
  const message =
    failure.message.length > ERROR_MESSAGE_MAX_CHARS
      ? `${failure.message.slice(0, ERROR_MESSAGE_MAX_CHARS - 1)}…`
      : failure.message || 'No message';
  if (!failure.details) return { ...failure, message };
  const bytes = Buffer.byteLength(JSON.stringify(failure.details), 'utf8');
  if (bytes <= ERROR_DETAILS_MAX_BYTES) return { ...failure, message };
  return { ...failure, message, details: { truncated: true, originalBytes: bytes } };
}
