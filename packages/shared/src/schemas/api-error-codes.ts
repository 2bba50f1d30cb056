/**
 * Machine-readable `code` of an API error answer, for the answers a caller is expected to act on
 * differently (the HTTP status alone is ambiguous for them). Appended, never reordered.
 */
export const API_ERROR_CODES = [
  /** 429: the learner reached the daily submission limit of their tier for this kind (see `Retry-After`). */
  'DAILY_LIMIT_REACHED',
  /** 422: a job a full-test band names does not exist (or has expired: jobs live 30 days). */
  'PART_MISSING',
  /** 422: a job a full-test band names belongs to another learner. */
  'PART_OF_ANOTHER_LEARNER',
  /** 409: a job a full-test band names is still QUEUED or RUNNING; ask again when it has finished. */
  'PART_NOT_FINISHED',
  /** 422: a job a full-test band names FAILED; it has no band to combine. */
  'PART_FAILED',
  /** 422: a job a full-test band names is of the wrong kind, task type or Speaking part. */
  'PART_MISMATCH',
  /** 400: the history cursor is malformed or was issued for another learner or filter. */
  'INVALID_CURSOR',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
