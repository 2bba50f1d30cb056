import {
  JobIdSchema,
  JobRecordSchema,
  JobResultSchema,
  JobStatusResponseSchema,
  toJobStatusResponse,
  UserIdSchema,
} from '@bandup/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { callerPrincipal } from '../http/caller-identity.js';
import { badRequest, forbidden, notFound } from '../http/http-error.js';
import { jsonResponse } from '../http/responses.js';
import { isExpired } from '../jobs/job-expiry.js';
import type { JobStore } from '../jobs/job-store.js';

export interface StatusDeps {
  readonly store: Pick<JobStore, 'get' | 'resultOf'>;
  readonly now?: () => Date;
}

/**
 * `GET /v1/jobs/{jobId}?userId=<id>`: the job's status, timestamps, error and (when SUCCEEDED) the
 * result, loaded from S3 when it was too large for the item. The backend passes the learner it asks
 * for as the `userId` query parameter (GETs have no body); a job of another user is 403, an unknown
 * one 404, a malformed id or missing userId 400.
 */
export function createStatusRoute(deps: StatusDeps) {
  const now = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    callerPrincipal(event);
    const problems: { path: string; message: string }[] = [];
    const jobId = JobIdSchema.safeParse(event.pathParameters?.jobId);
    if (!jobId.success) problems.push({ path: 'path.jobId', message: 'Must be a UUID' });
    const userId = UserIdSchema.safeParse(event.queryStringParameters?.userId);
    if (!userId.success) {
      problems.push({
        path: 'query.userId',
        message:
          event.queryStringParameters?.userId === undefined
            ? 'Required: the user the job is looked up for'
            : (userId.error.issues[0]?.message ?? 'Invalid'),
      });
    }
    if (!jobId.success || !userId.success) throw badRequest('Request is invalid', problems);

    const item = await deps.store.get(jobId.data);
    // Past its expiry the job is gone, even before DynamoDB's TTL sweep has deleted the item.
    if (!item || isExpired(item, now())) throw notFound(`No job ${jobId.data}`);
    if (item.userId !== userId.data) throw forbidden(`Job ${jobId.data} belongs to another user`);

    const record = JobRecordSchema.parse(item);
    const result =
      record.status === 'SUCCEEDED' && record.resultPointer
        ? JobResultSchema.parse(await deps.store.resultOf(item))
        : undefined;
    return jsonResponse(200, JobStatusResponseSchema.parse(toJobStatusResponse(record, result)));
  };
}
