import { readWorkerEnv } from '@bandup/shared';
import { createUploadRoute } from '../api/presign-upload.js';
import { createPostSigner } from '../clients/s3-presigned-post.js';
import { apiHandler } from '../http/api-handler.js';
import { instrument } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';

/** `upload`: POST /v1/uploads, a presigned POST (see `createUploadRoute`). Signs locally; no AWS call. */
const env = readWorkerEnv('upload');

export const handler = instrument(
  apiHandler(logger, createUploadRoute({ signPost: createPostSigner(), dataBucket: env.get('dataBucket') })),
);
