import type { ApiErrorCode } from '@bandup/shared';

/** One problem with a request: `path` is the dotted field path (`payload.essay`), empty for the whole body. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * An error that maps to an HTTP answer. Handlers throw it from anywhere in request handling; the
 * API wrapper turns it into `{ message, errors? }` with its status, so every 4xx names what is wrong.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errors?: readonly FieldProblem[],
    /** Extra response headers (e.g. `Retry-After` on 503). */
    readonly headers?: Readonly<Record<string, string>>,
    /** Machine-readable reason (`ApiError.code`) for answers a caller acts on. */
    readonly code?: ApiErrorCode,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, errors?: readonly FieldProblem[]) =>
  new HttpError(400, message, errors);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, errors?: readonly FieldProblem[]) =>
  new HttpError(409, message, errors);
export const serviceUnavailable = (message: string, retryAfterSeconds = 5) =>
  new HttpError(503, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
