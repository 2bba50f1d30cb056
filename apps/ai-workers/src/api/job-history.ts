import {
  HistoryCursorSchema,
  HistoryLimitSchema,
  JobHistoryResponseSchema,
  type JobKind,
  JobKindSchema,
  JobRecordSchema,
  toJobSummary,
  UserIdSchema,
} from '@bandup/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { callerPrincipal } from '../http/caller-identity.js';
import { HttpError } from '../http/http-error.js';
import { readQuery } from '../http/query.js';
import { jsonResponse } from '../http/responses.js';
import { isExpired } from '../jobs/job-expiry.js';
import type { JobStore } from '../jobs/job-store.js';
import { InvalidCursorError } from '../jobs/job-store-errors.js';

export interface HistoryDeps {
  readonly store: Pick<JobStore, 'listByUser'>;
  readonly now?: () => Date;
}

const QUERY = {
  userId: { schema: UserIdSchema, required: true },
  kind: { schema: JobKindSchema, required: false },
  limit: { schema: HistoryLimitSchema, required: false },
  cursor: { schema: HistoryCursorSchema, required: false },
} as const;

/**
 * `GET /v1/jobs?userId=<id>[&kind=][&limit=][&cursor=]`: the learner's jobs, newest first, as
 * summaries (status, timing, error code, band), a page at a time through the by-user index. The
 * cursor is opaque and valid only for the same learner and kind filter (400 `INVALID_CURSOR`
 * otherwise). Jobs expire 30 days after creation, so the history reaches back that far.
 */
export function createHistoryRoute(deps: HistoryDeps) {
  const now = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    callerPrincipal(event);
    const query = readQuery(event, QUERY);
    let page: Awaited<ReturnType<HistoryDeps['store']['listByUser']>>;
    try {
      page = await deps.store.listByUser(query.userId, {
        ...(query.limit !== undefined && { limit: Number(query.limit) }),
        ...(query.cursor !== undefined && { cursor: query.cursor }),
        ...(query.kind !== undefined && { kind: query.kind as JobKind }),
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new HttpError(
          400,
          error.message,
          [{ path: 'query.cursor', message: error.message }],
          undefined,
          'INVALID_CURSOR',
        );
      }
      throw error;
    }
    const body = {
      // Expired jobs awaiting TTL deletion are left out (the page may then be short).
      jobs: page.jobs
        .filter((item) => !isExpired(item, now()))
        .map((item) => toJobSummary(JobRecordSchema.parse(item))),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
    return jsonResponse(200, JobHistoryResponseSchema.parse(body));
  };
}
