import type { APIGatewayProxyResult } from 'aws-lambda';
import type { HttpError } from './http-error.js';

/** Headers on every answer: JSON, never cached by an intermediary, no MIME sniffing. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** `{ message, errors?, code? }`: the ApiError shape of the shared contract. */
export function errorResponse(error: HttpError): APIGatewayProxyResult {
  const body = {
    message: error.message,
    ...(error.errors && error.errors.length > 0 && { errors: error.errors }),
    ...(error.code !== undefined && { code: error.code }),
  };
  return jsonResponse(error.statusCode, body, error.headers);
}

/** Unexpected failures: the details go to the log, never to the caller. */
export function internalErrorResponse(requestId: string | undefined): APIGatewayProxyResult {
  return jsonResponse(500, {
    message: `Internal error${requestId ? ` (request ${requestId})` : ''}; the request was not processed`,
  });
}
