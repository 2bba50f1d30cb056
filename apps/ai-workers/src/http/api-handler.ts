import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { classifyError } from '../runtime/error-classification.js';
import { HttpError } from './http-error.js';
import { errorResponse, internalErrorResponse } from './responses.js';

export type ApiRoute = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Turns thrown errors into answers: `HttpError` -> its status and `{ message, errors }`; a transient
 * AWS failure (throttling, 5xx, timeouts) -> 503 with `Retry-After` so the backend retries; anything
 * else -> 500 with the request id, details only in the log.
 */
export function apiHandler(logger: Logger, route: ApiRoute): ApiRoute {
  return async (event, context) => {
    try {
      return await route(event, context);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.statusCode >= 500) logger.error('Request failed', { statusCode: error.statusCode, error });
        else logger.info('Request rejected', { statusCode: error.statusCode, message: error.message });
        return errorResponse(error);
      }
      const classified = classifyError(error);
      if (classified.type === 'transient') {
        logger.warn('Dependency unavailable; answering 503', { reason: classified.reason });
        return errorResponse(
          new HttpError(503, 'A dependency is temporarily unavailable; retry shortly', undefined, {
            'Retry-After': '2',
          }),
        );
      }
      logger.error('Unexpected error', { error: error as Error });
      return internalErrorResponse(context.awsRequestId);
    }
  };
}
