/** The same Idempotency-Key was used before with a different request. Maps to HTTP 409. */
export class IdempotencyConflictError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly existingJobId: string,
  ) {
    super(
      `Idempotency-Key "${idempotencyKey}" was already used for a different request (job ${existingJobId}); use a new key for a new request`,
    );
    this.name = 'IdempotencyConflictError';
  }
}

/** A pagination cursor that this store did not issue (or that was tampered with). */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`Invalid pagination cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** A worker produced a result that does not match its kind's result schema (a bug in the worker). */
export class InvalidResultError extends Error {
  constructor(
    readonly kind: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(
      `The ${kind} worker produced a result that does not match its schema: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
    this.name = 'InvalidResultError';
  }
}
