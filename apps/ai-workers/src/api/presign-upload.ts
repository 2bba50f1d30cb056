import { randomUUID } from 'node:crypto';
import {
  extensionForContentType,
  formatIssues,
  UPLOAD_LIMITS,
  UPLOAD_URL_EXPIRES_SECONDS,
  UploadRequestSchema,
  type UploadResponse,
  UploadResponseSchema,
  uploadKey,
} from '@bandup/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { PostSigner } from '../clients/s3-presigned-post.js';
import { callerPrincipal } from '../http/caller-identity.js';
import { badRequest } from '../http/http-error.js';
import { parseJsonBody } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';

export interface UploadDeps {
  /** Signs the upload form's policy (locally: no AWS call). */
  readonly signPost: PostSigner;
  readonly dataBucket: string;
  readonly now?: () => Date;
  /** Defaults to the shared `UPLOAD_URL_EXPIRES_SECONDS`. */
  readonly expiresSeconds?: number;
}

/**
 * `POST /v1/uploads`: a presigned POST for exactly one object, `uploads/<kind>/<userId>/<uuid>.<ext>`,
 * whose policy makes S3 itself enforce the key, the exact `Content-Type` and the size
 * (`content-length-range` 1..limit of the kind), for a short time. Encryption is the bucket's
 * default (SSE-KMS with the data key): the policy sets no `x-amz-server-side-encryption` field,
 * because `aws:kms` without a key id would select the AWS managed key instead of the bucket's.
 */
export function createUploadRoute(deps: UploadDeps) {
  const now = deps.now ?? (() => new Date());
  const expires = deps.expiresSeconds ?? UPLOAD_URL_EXPIRES_SECONDS;
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    callerPrincipal(event);
    const parsed = UploadRequestSchema.safeParse(parseJsonBody(event));
    if (!parsed.success) throw badRequest('Request body is invalid', formatIssues(parsed.error));
    const request = parsed.data;
    const extension = extensionForContentType(request.kind, request.contentType);
    if (!extension)
      throw badRequest('Request body is invalid', [{ path: 'contentType', message: 'Not allowed' }]);
    const key = uploadKey(request.kind, request.userId, randomUUID(), extension);
    const maxBytes = UPLOAD_LIMITS[request.kind].maxBytes;
    const issuedAt = now();
    const post = deps.signPost({
      bucket: deps.dataBucket,
      key,
      fields: { 'Content-Type': request.contentType },
      conditions: [
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', request.contentType],
      ],
      expiresSeconds: expires,
      signedAt: issuedAt,
    });
    const body: UploadResponse = {
      url: post.url,
      fields: post.fields,
      key,
      expiresAt: new Date(issuedAt.getTime() + expires * 1000).toISOString(),
      maxBytes,
    };
    return jsonResponse(200, UploadResponseSchema.parse(body));
  };
}
