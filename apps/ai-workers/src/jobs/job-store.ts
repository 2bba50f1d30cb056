import { randomUUID } from 'node:crypto';
import {
  formatIssues,
  JOB_RESULT_SCHEMAS,
  JOB_TTL_DAYS,
  JOBS_TABLE,
  type JobKind,
  type JobResult,
  JobResultSchema,
} from '@bandup/shared';
import type { DocumentTable, UpdateInput } from '../clients/document-table.js';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
import { JOB_DEADLINES, SWEEP_SHARD } from './job-deadlines.js';
import { idempotentJobId, newJobId } from './job-id.js';
import { isTerminal, type JobFailure, type JobItem } from './job-item.js';
import { IdempotencyConflictError, InvalidResultError } from './job-store-errors.js';
import { INLINE_RESULT_MAX_BYTES, type ResultStore } from './result-store.js';

export interface JobStoreConfig {
  readonly tableName: string;
  readonly byUserIndexName: string;
  /** Default: the shared `JOBS_TABLE.byDeadlineIndex.name`. */
  readonly byDeadlineIndexName?: string;
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
  /** Another delivery holds a live lease on the job (a concurrent copy of the message): nothing changed. */
  | { readonly outcome: 'leased'; readonly job: JobItem }
  /** The job waits for another function (speaking: Transcribe); a redelivered message has nothing to do. */
  | { readonly outcome: 'waiting'; readonly job: JobItem }
  | { readonly outcome: 'missing' };

/**
 * Who runs a job and until when. The owner is unique per delivery (Lambda request id + message id);
 * the lease lasts as long as the invocation can live, so it never expires under a live run and a
 * killed run's lease lapses by itself.
 */
export interface Lease {
  readonly owner: string;
  readonly durationMs: number;
}

export interface JobPage {
  readonly jobs: readonly JobItem[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

/** Cap on `error.details` so a huge diagnostic (a raw model answer) can never make the item too big. */
const ERROR_DETAILS_MAX_BYTES = 16 * 1024;
const ERROR_MESSAGE_MAX_CHARS = 2000;

const ACTIVE = { ':queued': 'QUEUED', ':running': 'RUNNING' } as const;

/** A lease for callers that do not name one (scripts, tests): a fresh owner, 15 minutes. */
const DEFAULT_LEASE_MS = 15 * 60_000;

/** The lease and sweep attributes every terminal transition removes (see `jobs/job-deadlines.ts`). */
const CLEAR_ON_FINISH = `REMOVE leaseOwner, leaseExpiresAt, waitingFor, ${JOBS_TABLE.byDeadlineIndex.partitionKey}`;

/** A lease is free when nobody holds one or the holder's has lapsed. */
const LEASE_FREE = '(attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :nowMs)';
/** Index pages read at most to fill one filtered history page (bounds the latency of a sparse kind). */
const HISTORY_MAX_QUERIES = 5;

/**
 * The jobs table. Every status change is a conditional write, so the lifecycle
 * `QUEUED -> RUNNING -> SUCCEEDED | FAILED` holds under redelivery, concurrency and late messages:
 * a terminal job never changes again (except `reopen`, the operator's replay). A RUNNING job is held
 * by one run at a time through a lease (`leaseOwner`, `leaseExpiresAt` in epoch ms), and every
 * unfinished job carries a deadline in the sparse `by-deadline` index for the sweeper.
 */
export class JobStore {
  private readonly now: () => Date;

  constructor(
    private readonly table: DocumentTable,
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
      sweepShard: SWEEP_SHARD,
      deadlineAt: now.getTime() + JOB_DEADLINES.queueMs,
    };
    try {
      await this.table.put({
        TableName: this.config.tableName,
        Item: job,
        // An expired item (past its TTL, not yet deleted by DynamoDB) counts as absent.
        ConditionExpression: input.idempotencyKey
          ? 'attribute_not_exists(jobId) OR expiresAt <= :nowSec OR (#status = :failed AND enqueueFailed = :true AND requestHash = :hash)'
          : 'attribute_not_exists(jobId)',
        ...(input.idempotencyKey
          ? {
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':failed': 'FAILED',
                ':true': true,
                ':hash': input.requestHash,
                ':nowSec': Math.floor(now.getTime() / 1000),
              },
            }
          : {}),
      });
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

  /**
   * The job, read strongly consistent (status answers must not lag behind a transition). A job past
   * its TTL is treated as gone: DynamoDB deletes expired items only eventually (often days later).
   */
  async get(jobId: string): Promise<JobItem | undefined> {
    const answer = await this.table.get({
      TableName: this.config.tableName,
      Key: { jobId },
      ConsistentRead: true,
    });
    const item = answer.Item as JobItem | undefined;
    return item && !this.isExpired(item) ? item : undefined;
  }

  private isExpired(item: Pick<JobItem, 'expiresAt'>): boolean {
    return typeof item.expiresAt === 'number' && item.expiresAt <= Math.floor(this.now().getTime() / 1000);
  }

  /**
   * `QUEUED | RUNNING -> RUNNING` under a lease, counting the attempt. A RUNNING job is started again
   * only when its lease is free (the earlier run died or gave up): a concurrent copy of the same
   * message gets `leased` and must not run the worker. A job waiting for another function
   * (`waitingFor`) is not restarted by its own queue's redelivery (`waiting`).
   */
  async start(jobId: string, lease: Lease = this.anonymousLease()): Promise<StartJobResult> {
    const now = this.now();
    try {
      const answer = await this.table.update({
        TableName: this.config.tableName,
        Key: { jobId },
        UpdateExpression:
          'SET #status = :running, attempts = if_not_exists(attempts, :zero) + :one, startedAt = if_not_exists(startedAt, :now), updatedAt = :now, leaseOwner = :owner, leaseExpiresAt = :until, deadlineAt = :deadline',
        ConditionExpression: `attribute_exists(jobId) AND expiresAt > :nowSec AND (#status = :queued OR (#status = :running AND attribute_not_exists(waitingFor) AND ${LEASE_FREE}))`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...ACTIVE,
          ':zero': 0,
          ':one': 1,
          ':now': now.toISOString(),
          ':nowMs': now.getTime(),
          ':nowSec': Math.floor(now.getTime() / 1000),
          ':owner': lease.owner,
          ':until': now.getTime() + lease.durationMs,
          ':deadline': now.getTime() + JOB_DEADLINES.queueMs,
        },
        ReturnValues: 'ALL_NEW',
      });
      return { outcome: 'started', job: answer.Attributes as JobItem };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return this.whyNotStarted(jobId);
  }

  /**
   * Takes the lease of a RUNNING job that waits for another function (speaking-finalize resuming a
   * Speaking job after Transcribe), so that concurrent copies of the completion event score it once.
   */
  async resume(jobId: string, lease: Lease = this.anonymousLease()): Promise<StartJobResult> {
    const now = this.now();
    try {
      const answer = await this.table.update({
        TableName: this.config.tableName,
        Key: { jobId },
        UpdateExpression: 'SET leaseOwner = :owner, leaseExpiresAt = :until, updatedAt = :now',
        ConditionExpression: `#status = :running AND expiresAt > :nowSec AND attribute_exists(waitingFor) AND ${LEASE_FREE}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':running': 'RUNNING',
          ':now': now.toISOString(),
          ':nowMs': now.getTime(),
          ':nowSec': Math.floor(now.getTime() / 1000),
          ':owner': lease.owner,
          ':until': now.getTime() + lease.durationMs,
        },
        ReturnValues: 'ALL_NEW',
      });
      return { outcome: 'started', job: answer.Attributes as JobItem };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const outcome = await this.whyNotStarted(jobId);
    // A job that is not waiting (still QUEUED, or RUNNING in its own worker) cannot be resumed yet.
    return outcome;
  }

  private async whyNotStarted(jobId: string): Promise<StartJobResult> {
    const existing = await this.get(jobId);
    if (!existing) return { outcome: 'missing' };
    if (isTerminal(existing.status)) return { outcome: 'terminal', job: existing };
    if (existing.leaseExpiresAt !== undefined && existing.leaseExpiresAt >= this.now().getTime()) {
      return { outcome: 'leased', job: existing };
    }
    if (existing.waitingFor !== undefined) return { outcome: 'waiting', job: existing };
    // Neither terminal, leased nor waiting, yet the condition failed: it changed under us; retry the message.
    throw new Error(`Job ${jobId} changed status concurrently (now ${existing.status})`);
  }

  private anonymousLease(): Lease {
    return { owner: `anonymous-${randomUUID()}`, durationMs: DEFAULT_LEASE_MS };
  }

  /**
   * The lease holder hands the job over to another function (`waiting`): the job stays RUNNING with
   * `waitingFor` and a deadline of its own, the lease is released. False when the lease was lost.
   */
  async wait(jobId: string, owner: string, reason: string, waitMs: number): Promise<boolean> {
    const now = this.now();
    return this.conditionalUpdate({
      Key: { jobId },
      UpdateExpression:
        'SET waitingFor = :reason, deadlineAt = :deadline, updatedAt = :now REMOVE leaseOwner, leaseExpiresAt',
      ConditionExpression: '#status = :running AND leaseOwner = :owner',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':running': 'RUNNING',
        ':owner': owner,
        ':reason': reason.slice(0, 500),
        ':deadline': now.getTime() + waitMs,
        ':now': now.toISOString(),
      },
    });
  }

  /**
   * `RUNNING -> SUCCEEDED`. The result must match the kind's shared result schema (so the status API
   * can always serve it); otherwise `InvalidResultError`, a worker bug. Results larger than
   * `INLINE_RESULT_MAX_BYTES` go to S3 first and the item keeps a pointer. With `owner`, only the
   * lease holder may finish the job. Returns false (and changes nothing) when the job is not RUNNING
   * any more or another run holds it.
   */
  async succeed(
    job: string | Pick<JobItem, 'jobId' | 'kind'>,
    result: unknown,
    model?: ModelMetadata,
    owner?: string,
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
    return this.finish(
      jobId,
      this.now(),
      'SUCCEEDED',
      { [stored.attribute]: stored.value, model },
      {
        conditions: ['#status = :running', ...(owner ? ['leaseOwner = :owner'] : [])],
        values: { ':running': 'RUNNING', ...(owner ? { ':owner': owner } : {}) },
      },
    );
  }

  /**
   * `QUEUED | RUNNING -> FAILED` with the error. QUEUED is allowed because a job can fail before it
   * ever ran (its message could not be sent, was invalid, or reached the dead-letter queue).
   * `owner`: only while that run holds the lease. `unlessLeased`: not while any run holds a live
   * lease (the dead-letter function must not fail a job a live run is finishing). Returns false
   * (and changes nothing) when the job is missing, already terminal, or the condition does not hold.
   */
  async fail(
    jobId: string,
    failure: JobFailure,
    options: { enqueueFailed?: boolean; owner?: string; unlessLeased?: boolean } = {},
  ): Promise<boolean> {
    const now = this.now();
    const attributes = {
      error: boundedFailure(failure),
      enqueueFailed: options.enqueueFailed ? true : undefined,
    };
    return this.finish(jobId, now, 'FAILED', attributes, {
      conditions: [
        'attribute_exists(jobId)',
        '#status IN (:queued, :running)',
        ...(options.owner ? ['leaseOwner = :owner'] : []),
        ...(options.unlessLeased ? [LEASE_FREE] : []),
      ],
      values: {
        ...ACTIVE,
        ...(options.owner ? { ':owner': options.owner } : {}),
        ...(options.unlessLeased ? { ':nowMs': now.getTime() } : {}),
      },
    });
  }

  /**
   * Fails a job the sweeper found past its deadline, but only if it still is: unfinished, past the
   * same deadline and not held by a live run (so a job that moved on meanwhile is left alone).
   */
  async failOverdue(jobId: string, failure: JobFailure): Promise<boolean> {
    const now = this.now();
    return this.finish(
      jobId,
      now,
      'FAILED',
      { error: boundedFailure(failure) },
      {
        conditions: ['#status IN (:queued, :running)', 'deadlineAt < :nowMs', LEASE_FREE],
        values: { ...ACTIVE, ':nowMs': now.getTime() },
      },
    );
  }

  /** Pushes an overdue job's deadline `byMs` ahead (the sweeper acted on it and gives it time). */
  async extendDeadline(jobId: string, byMs: number): Promise<boolean> {
    const now = this.now();
    return this.conditionalUpdate({
      Key: { jobId },
      UpdateExpression: 'SET deadlineAt = :deadline, updatedAt = :now',
      ConditionExpression: '#status IN (:queued, :running) AND deadlineAt < :nowMs',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...ACTIVE,
        ':deadline': now.getTime() + byMs,
        ':now': now.toISOString(),
        ':nowMs': now.getTime(),
      },
    });
  }

  /**
   * Unfinished jobs whose deadline has passed, oldest deadline first, through the sparse
   * `by-deadline` index (eventually consistent: each transition re-checks its own condition).
   */
  async listOverdue(limit = 100): Promise<JobItem[]> {
    const index = JOBS_TABLE.byDeadlineIndex;
    const jobs: JobItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const answer = await this.table.query({
        TableName: this.config.tableName,
        IndexName: this.config.byDeadlineIndexName ?? index.name,
        KeyConditionExpression: '#shard = :shard AND #deadline < :nowMs',
        ExpressionAttributeNames: { '#shard': index.partitionKey, '#deadline': index.sortKey },
        ExpressionAttributeValues: { ':shard': SWEEP_SHARD, ':nowMs': this.now().getTime() },
        Limit: limit - jobs.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      jobs.push(...((answer.Items ?? []) as JobItem[]));
      start = answer.LastEvaluatedKey;
    } while (start && jobs.length < limit);
    return jobs;
  }

  /**
   * Claims the re-send of a QUEUED job's message that looks orphaned (no attempt, untouched for
   * `olderThanMs`): one conditional write, so concurrent idempotent retries send one message, and
   * the next re-send waits another `olderThanMs`. Never changes the job's status.
   */
  async claimResend(jobId: string, olderThanMs: number): Promise<boolean> {
    const now = this.now();
    return this.conditionalUpdate({
      Key: { jobId },
      UpdateExpression: 'SET updatedAt = :now',
      ConditionExpression: '#status = :queued AND attempts = :zero AND updatedAt < :cutoff',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':queued': 'QUEUED',
        ':zero': 0,
        ':now': now.toISOString(),
        ':cutoff': new Date(now.getTime() - olderThanMs).toISOString(),
      },
    });
  }

  /**
   * Notes why an attempt failed and will be retried (`lastAttemptError`, and `lastAttemptCode` when
   * the failure has one, e.g. `DEADLINE_EXCEEDED`), so that if the message ends in the DLQ the
   * dead-letter function can say what kept failing. With `owner`, also releases that run's lease so
   * the redelivery can start at once. Only while RUNNING; a no-op otherwise.
   */
  async noteRetry(
    jobId: string,
    reason: string,
    options: { owner?: string; code?: string } = {},
  ): Promise<void> {
    await this.conditionalUpdate({
      Key: { jobId },
      UpdateExpression: `SET lastAttemptError = :reason, updatedAt = :now${options.code ? ', lastAttemptCode = :code' : ''}${options.owner ? ' REMOVE leaseOwner, leaseExpiresAt' : ''}`,
      ConditionExpression: `#status = :running${options.owner ? ' AND leaseOwner = :owner' : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':reason': reason.slice(0, 1000),
        ':running': 'RUNNING',
        ':now': this.now().toISOString(),
        ...(options.code ? { ':code': options.code } : {}),
        ...(options.owner ? { ':owner': options.owner } : {}),
      },
    });
  }

  /**
   * Puts a job that failed for an operational reason (`RETRIES_EXHAUSTED`, `TIMED_OUT`,
   * `DEADLINE_EXCEEDED`) back to where a replayed message can pick it up: QUEUED for a queue
   * worker's message, RUNNING and waiting for speaking-finalize's Transcribe event. Used by the
   * replay script. False when the job is not such a failure.
   */
  async reopen(jobId: string, to: 'queued' | 'waiting'): Promise<boolean> {
    const now = this.now();
    const waiting = to === 'waiting';
    return this.conditionalUpdate({
      Key: { jobId },
      // Stryker disable next-line StringLiteral: removing waitingFor again is a belt for a FAILED job, and every transition to FAILED already removed it (CLEAR_ON_FINISH)
      UpdateExpression: `SET #status = :to, updatedAt = :now, sweepShard = :shard, deadlineAt = :deadline${waiting ? ', waitingFor = :waitingFor' : ''} REMOVE #error, finishedAt, leaseOwner, leaseExpiresAt${waiting ? '' : ', waitingFor'}`,
      ConditionExpression: '#status = :failed AND #error.code IN (:exhausted, :timedOut, :deadline_)',
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: {
        ':to': waiting ? 'RUNNING' : 'QUEUED',
        ':failed': 'FAILED',
        ':exhausted': 'RETRIES_EXHAUSTED',
        ':timedOut': 'TIMED_OUT',
        ':deadline_': 'DEADLINE_EXCEEDED',
        ':now': now.toISOString(),
        ':shard': SWEEP_SHARD,
        ':deadline': now.getTime() + (waiting ? JOB_DEADLINES.transcribeMs : JOB_DEADLINES.queueMs),
        ...(waiting ? { ':waitingFor': 'Replayed Transcribe completion event' } : {}),
      },
    });
  }

  /**
   * The one shape of the terminal transitions (`succeed`, `fail`, `failOverdue`): sets the status,
   * the given attributes (undefined ones are left out), `finishedAt` and `updatedAt`, and removes
   * the lease and sweep attributes, all only when every condition holds. The conditions' own
   * placeholders come with their values; the ones built here are `#status`, `:status`, `:now` and
   * `#a<n>`/`:a<n>` per attribute (DynamoDB rejects a name or value the expressions do not use).
   */
  private finish(
    jobId: string,
    now: Date,
    status: 'SUCCEEDED' | 'FAILED',
    attributes: Record<string, unknown>,
    when: { conditions: readonly string[]; values: Record<string, unknown> },
  ): Promise<boolean> {
    const set = Object.entries(attributes).filter(([, value]) => value !== undefined);
    return this.conditionalUpdate({
      Key: { jobId },
      UpdateExpression: `SET ${[
        '#status = :status',
        ...set.map((_, i) => `#a${i} = :a${i}`),
        'finishedAt = :now',
        'updatedAt = :now',
      ].join(', ')} ${CLEAR_ON_FINISH}`,
      ConditionExpression: when.conditions.join(' AND '),
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(set.map(([name], i) => [`#a${i}`, name])),
      },
      ExpressionAttributeValues: {
        ...when.values,
        ':status': status,
        ':now': now.toISOString(),
        ...Object.fromEntries(set.map(([, value], i) => [`:a${i}`, value])),
      },
    });
  }

  /** An UpdateItem on this table; false when its condition did not hold. */
  private async conditionalUpdate(input: Omit<UpdateInput, 'TableName'>): Promise<boolean> {
    try {
      await this.table.update({ TableName: this.config.tableName, ...input });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
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
    const nowSec = Math.floor(this.now().getTime() / 1000);
    for (let query = 0; query < HISTORY_MAX_QUERIES; query++) {
      const answer = await this.table.query({
        TableName: this.config.tableName,
        IndexName: this.config.byUserIndexName,
        KeyConditionExpression: 'userId = :userId',
        // Expired items linger until DynamoDB deletes them; they are not served.
        ...(options.kind
          ? {
              FilterExpression: '#kind = :kind AND expiresAt > :nowSec',
              ExpressionAttributeNames: { '#kind': 'kind' },
              ExpressionAttributeValues: { ':userId': userId, ':kind': options.kind, ':nowSec': nowSec },
            }
          : {
              FilterExpression: 'expiresAt > :nowSec',
              ExpressionAttributeValues: { ':userId': userId, ':nowSec': nowSec },
            }),
        ScanIndexForward: false,
        Limit: limit - jobs.length,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      jobs.push(...((answer.Items ?? []) as JobItem[]));
      startKey = answer.LastEvaluatedKey;
      if (!startKey || jobs.length >= limit) break;
    }
    if (!startKey) return { jobs };
    const last = startKey as Record<string, string>;
    // Stryker disable next-line StringLiteral: a LastEvaluatedKey of the by-user index always holds jobId and createdAt
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
  // Stryker disable next-line StringLiteral: UTF-8 is also Buffer.byteLength's default encoding
  const bytes = Buffer.byteLength(JSON.stringify(failure.details), 'utf8');
  if (bytes <= ERROR_DETAILS_MAX_BYTES) return { ...failure, message };
  return { ...failure, message, details: { truncated: true, originalBytes: bytes } };
}
