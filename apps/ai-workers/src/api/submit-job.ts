import type { Logger } from '@aws-lambda-powertools/logger';
import {
  formatIssues,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  JOB_PAYLOAD_SCHEMAS,
  type JobKind,
  type JobMessage,
  JobMessageSchema,
  type SubmitResponse,
  SubmitResponseSchema,
} from '@bandup/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { S3Objects } from '../clients/s3-objects.js';
import type { MessageSender } from '../clients/sqs-sender.js';
import { callerPrincipal } from '../http/caller-identity.js';
import { badRequest, conflict, HttpError, serviceUnavailable } from '../http/http-error.js';
import { header, parseJsonBody } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { idempotentJobId } from '../jobs/job-id.js';
import type { JobItem } from '../jobs/job-item.js';
import type { JobStore } from '../jobs/job-store.js';
import { IdempotencyConflictError } from '../jobs/job-store-errors.js';
import { requestFingerprint } from '../jobs/request-fingerprint.js';
import {
  DailyLimitReachedError,
  type DailySubmissionCounter,
  type SubmissionSlot,
} from '../limits/daily-submission-counter.js';
import { classifyError } from '../runtime/error-classification.js';
import { jobMetrics } from '../runtime/job-metrics.js';
import { submitKindOf } from './routes.js';

export interface SubmitDeps {
  readonly store: Pick<JobStore, 'create' | 'fail' | 'get' | 'claimResend'>;
  readonly sqs: MessageSender;
  /** Only Speaking and flashcard submissions check an upload. */
  readonly s3: S3Objects;
  readonly dataBucket: string;
  /** Queue URL of each kind (from `BANDUP_*_QUEUE_URL`). */
  readonly queueUrls: Readonly<Record<JobKind, string>>;
  readonly logger: Logger;
  /** Per-learner daily submission limits (per tier and kind). */
  readonly limits: Pick<DailySubmissionCounter, 'consume' | 'release'>;
  readonly now?: () => Date;
}

/** The request field that names an uploaded object, per kind (writing has none). */
const UPLOAD_FIELD: Readonly<Record<JobKind, string | undefined>> = {
  writing: undefined,
  speaking: 'audioKey',
  flashcards: 'documentKey',
};

/**
 * A QUEUED job older than this with no attempt, met again through its Idempotency-Key, is assumed to
 * have lost its message (the submit that created it died between the write and the send) and is
 * sent again. Well above the submit function's 10 s timeout, so a submit still in flight is not doubled.
 */
const ORPHAN_AFTER_MS = 60_000;

/**
 * `POST /v1/writing/assessments`, `/v1/speaking/assessments`, `/v1/flashcards/sets`:
 * validate (400 naming every bad field), check the referenced upload exists, count the submission
 * against the learner's daily limit (429 with `Retry-After` when it is used up), record the job
 * QUEUED (idempotently), send it to its kind's queue, answer `202 { jobId, status }`. A submission
 * that creates no job (an idempotent replay, a conflict, a job that could not be queued) gives its
 * count back, so retries never use up a learner's day.
 */
export function createSubmitRoute(deps: SubmitDeps) {
  const now = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const kind = submitKindOf(event);
    const principal = callerPrincipal(event);
    const idempotencyKey = readIdempotencyKey(event);
    const body = parseJsonBody(event);
    const parsed = JOB_PAYLOAD_SCHEMAS[kind].safeParse(body);
    if (!parsed.success) throw badRequest('Request body is invalid', formatIssues(parsed.error));
    const payload = parsed.data;

    await assertUploadExists(deps, kind, payload as Record<string, unknown>);

    // A retry of a job that exists is answered from the job and never counted, even at the limit.
    const known = idempotencyKey ? await isKnownSubmission(deps, payload.userId, idempotencyKey) : false;
    const slot = known
      ? undefined
      : await consumeDailySlot(deps, { userId: payload.userId, kind, tier: payload.learnerTier });
    const giveBack = async () => {
      if (slot) await deps.limits.release(slot);
    };
    let created: Awaited<ReturnType<SubmitDeps['store']['create']>>;
    try {
      created = await deps.store.create({
        userId: payload.userId,
        kind,
        principal,
        requestHash: requestFingerprint({ kind, payload }),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
    } catch (error) {
      await giveBack();
      if (error instanceof IdempotencyConflictError) {
        throw conflict(error.message, [
          { path: `headers.${IDEMPOTENCY_KEY_HEADER}`, message: error.message },
        ]);
      }
      throw error;
    }
    const { job } = created;
    const log = deps.logger.createChild({ persistentKeys: { jobId: job.jobId } });

    if (!created.created) {
      // The original submission was counted; its replay is not.
      await giveBack();
      // A QUEUED job untouched for a minute may have lost its message (or it waits in a backlog).
      // One replay claims the re-send (a conditional write), so concurrent replays send one message;
      // a duplicate message is harmless anyway (the job runs under a lease, once).
      const orphaned =
        job.status === 'QUEUED' &&
        job.attempts === 0 &&
        now().getTime() - Date.parse(job.updatedAt) > ORPHAN_AFTER_MS &&
        (await deps.store.claimResend(job.jobId, ORPHAN_AFTER_MS));
      if (orphaned) {
        log.warn('Idempotent replay of a job that never started; sending its message again');
        await enqueue(deps, job, payload, log, { resend: true });
      }
      log.info('Idempotent replay: returning the existing job', { status: job.status });
      return accepted({ jobId: job.jobId, status: job.status }, { 'Idempotent-Replayed': 'true' });
    }

    try {
      await enqueue(deps, job, payload, log);
    } catch (error) {
      await giveBack().catch((releaseError: unknown) => {
        log.error('Could not give back the daily slot of an unqueued job', { error: releaseError as Error });
      });
      throw error;
    }
    jobMetrics.submitted(kind);
    log.info('Job submitted', { kind, idempotent: Boolean(idempotencyKey) });
    return accepted({ jobId: job.jobId, status: 'QUEUED' });
  };
}

/** The Idempotency-Key already names a job that was queued (so this request is a retry). */
async function isKnownSubmission(deps: SubmitDeps, userId: string, idempotencyKey: string): Promise<boolean> {
  const existing = await deps.store.get(idempotentJobId(userId, idempotencyKey));
  return existing !== undefined && existing.enqueueFailed !== true;
}

async function consumeDailySlot(
  deps: SubmitDeps,
  input: Parameters<SubmitDeps['limits']['consume']>[0],
): Promise<SubmissionSlot> {
  try {
    return await deps.limits.consume(input);
  } catch (error) {
    if (error instanceof DailyLimitReachedError) {
      throw new HttpError(
        429,
        error.message,
        undefined,
        { 'Retry-After': String(error.retryAfterSeconds) },
        'DAILY_LIMIT_REACHED',
      );
    }
    throw error;
  }
}

function accepted(body: SubmitResponse, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return jsonResponse(202, SubmitResponseSchema.parse(body), {
    Location: `/v1/jobs/${body.jobId}`,
    ...headers,
  });
}

function readIdempotencyKey(event: APIGatewayProxyEvent): string | undefined {
  const raw = header(event, IDEMPOTENCY_KEY_HEADER);
  if (raw === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(
      `${IDEMPOTENCY_KEY_HEADER} header is invalid`,
      parsed.error.issues.map((issue) => ({
        path: `headers.${IDEMPOTENCY_KEY_HEADER}`,
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * The schema already checked that the key has the caller's prefix (`uploads/<kind>/<userId>/`); here
 * the object must also exist, so a typo or an upload that never happened is a 400 now rather than a
 * failed job later.
 */
async function assertUploadExists(
  deps: SubmitDeps,
  kind: JobKind,
  payload: Record<string, unknown>,
): Promise<void> {
  const field = UPLOAD_FIELD[kind];
  if (!field) return;
  const key = payload[field] as string;
  if (!(await deps.s3.exists(deps.dataBucket, key))) {
    throw badRequest('Referenced upload does not exist', [
      { path: field, message: `No uploaded object at "${key}"; upload it with POST /v1/uploads first` },
    ]);
  }
}

/**
 * Sends the job message. If SQS refuses a new job's message, the job is marked FAILED
 * (`INTERNAL_ERROR`, `enqueueFailed`) so it is never left QUEUED with no message, and the caller may
 * retry with the same Idempotency-Key, which re-creates the job (see `JobStore.create`). A failed
 * *re-send* changes nothing on the job: its first message may still be waiting in the queue.
 *
 * The answer depends on the failure: a transient one (throttling, 5xx, network) is 503 with
 * `Retry-After`; a permanent one (the queue does not exist, access or its KMS key denied: a
 * deployment fault that retrying cannot fix) is 500, without the service's text.
 */
async function enqueue(
  deps: SubmitDeps,
  job: JobItem,
  payload: unknown,
  log: Logger,
  options: { resend?: boolean } = {},
): Promise<void> {
  const message: JobMessage = JobMessageSchema.parse({
    jobId: job.jobId,
    kind: job.kind,
    userId: job.userId,
    principal: job.principal,
    submittedAt: job.createdAt,
    payload,
  });
  try {
    await deps.sqs.sendMessage({
      QueueUrl: deps.queueUrls[job.kind],
      MessageBody: JSON.stringify(message),
      MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
    });
  } catch (error) {
    const permanent = classifyError(error).type === 'permanent';
    log.error('Could not enqueue the job', {
      error: error as Error,
      permanent,
      resend: Boolean(options.resend),
    });
    if (!options.resend) {
      try {
        await deps.store.fail(
          job.jobId,
          { code: 'INTERNAL_ERROR', message: 'Could not enqueue the job; submit it again' },
          { enqueueFailed: true },
        );
      } catch (failError) {
        log.error('Could not mark the unqueued job FAILED either', { error: failError as Error });
      }
    }
    if (permanent) {
      throw new HttpError(
        500,
        'The job could not be queued because the service is misconfigured; operators have been alerted',
      );
    }
    throw serviceUnavailable(
      'The job could not be queued; retry the request (the same Idempotency-Key is safe)',
    );
  }
}
