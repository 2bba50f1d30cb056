import type { APIGatewayProxyEvent } from 'aws-lambda';
import { badRequest } from './http-error.js';

/** Header value by case-insensitive name (API Gateway keeps the caller's spelling). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The request body as JSON; a missing or unparsable body is a 400 that says so. */
export function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body.trim() === '') {
    throw badRequest('Request body is required', [{ path: '', message: 'expected a JSON object' }]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest('Request body is not valid JSON', [{ path: '', message: (error as Error).message }]);
  }
}
