import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HttpError } from './http-error.js';

/**
 * The IAM principal that signed the request.
 *
 * Identity model: every route uses IAM authorization, and only the Bandup backend's ECS task role is
 * allowed to invoke the API, so API Gateway has verified the SigV4 signature before the function
 * runs and passes the caller's ARN in `requestContext.identity.userArn`. Learners never call this
 * API directly: the backend authenticates them and *asserts* which learner a request is for, as
 * `userId` in the JSON body of POSTs and as the `userId` query parameter of `GET /v1/jobs/{jobId}`.
 * That assertion is trusted because the principal is; both are recorded on the job (`userId`,
 * `principal`), and uploads and jobs are scoped to that user.
 */
export function callerPrincipal(event: APIGatewayProxyEvent): string {
  const arn = event.requestContext?.identity?.userArn;
  if (!arn) {
    // Unreachable behind IAM authorization; refuse rather than run a job with no accountable caller.
    throw new HttpError(
      403,
      'Request is not signed by an IAM principal (requestContext.identity.userArn is empty)',
    );
  }
  return arn;
}
