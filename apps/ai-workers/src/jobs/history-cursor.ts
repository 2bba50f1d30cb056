import { IsoDateTimeSchema, JobIdSchema, type JobKind } from '@bandup/shared';
import { InvalidCursorError } from './job-store-errors.js';

/** Where a page of a learner's history stopped: the by-user index key of the last job read. */
export interface HistoryPosition {
  readonly jobId: string;
  readonly userId: string;
  readonly createdAt: string;
}

/** What a cursor is bound to: it is only valid for the same learner and the same kind filter. */
export interface HistoryScope {
  readonly userId: string;
  readonly kind?: JobKind;
}

const VERSION = 1;

/**
 * An opaque cursor (base64url JSON) for the next page. It is validated, not trusted: decoding checks
 * its version, that it was issued for this learner and this kind filter, and that the position is a
 * job id and a timestamp, so a forged or replayed cursor can at most move within the learner's own
 * index partition and never reach another learner's jobs.
 */
export function encodeHistoryCursor(position: HistoryPosition, scope: HistoryScope): string {
  const body = {
    v: VERSION,
    k: scope.kind ?? null,
    u: position.userId,
    j: position.jobId,
    c: position.createdAt,
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeHistoryCursor(cursor: string, scope: HistoryScope): HistoryPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor returned by this API');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidCursorError('not a cursor returned by this API');
  }
  const { v, k, u, j, c, ...rest } = body as Record<string, unknown>;
  if (v !== VERSION || Object.keys(rest).length > 0) {
    throw new InvalidCursorError('not a cursor returned by this API');
  }
  if (u !== scope.userId) throw new InvalidCursorError('issued for another user');
  if (k !== (scope.kind ?? null)) throw new InvalidCursorError('issued for another kind filter');
  if (!JobIdSchema.safeParse(j).success || !IsoDateTimeSchema.safeParse(c).success) {
    throw new InvalidCursorError('its position is malformed');
  }
  return { jobId: j as string, userId: u, createdAt: c as string };
}
