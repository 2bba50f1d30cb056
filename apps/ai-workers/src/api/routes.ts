import type { JobKind } from '@bandup/shared';
import { WORKER_CATALOGUE } from '@bandup/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HttpError } from '../http/http-error.js';

/** Submission routes of the `submit` function, from the catalogue, by the kind of job they create. */
const SUBMIT_ROUTE_KIND: Readonly<Record<string, JobKind>> = {
  '/v1/writing/assessments': 'writing',
  '/v1/speaking/assessments': 'speaking',
  '/v1/flashcards/sets': 'flashcards',
};

// Fail at cold start if the catalogue and this table ever disagree.
const catalogued =
  WORKER_CATALOGUE.submit.trigger.type === 'api' ? WORKER_CATALOGUE.submit.trigger.routes : [];
for (const route of catalogued) {
  if (!SUBMIT_ROUTE_KIND[route.path])
    throw new Error(`submit: no job kind for catalogued route ${route.path}`);
}

/**
 * The job kind a submission event is for. REST API proxy events carry the resource template in
 * `resource` (the path may have a stage or base-path prefix); `path` is the fallback for local runs.
 */
export function submitKindOf(event: APIGatewayProxyEvent): JobKind {
  const kind = SUBMIT_ROUTE_KIND[event.resource] ?? SUBMIT_ROUTE_KIND[event.path];
  if (!kind) throw new HttpError(404, `No route ${event.httpMethod} ${event.resource || event.path}`);
  if (event.httpMethod !== 'POST') {
    throw new HttpError(405, `${event.httpMethod} is not allowed on ${event.resource}; use POST`, undefined, {
      Allow: 'POST',
    });
  }
  return kind;
}
