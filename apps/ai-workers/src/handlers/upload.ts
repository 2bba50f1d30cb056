import { readWorkerEnv } from '@bandup/shared';
import { createUploadRoute } from '../api/presign-upload.js';
import { createS3Client } from '../clients/s3.js';
import { apiHandler } from '../http/api-handler.js';
import { instrument } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';

/** `upload`: POST /v1/uploads, a presigned POST (see `createUploadRoute`). Signs locally; no AWS call. */
const env = readWorkerEnv('upload');

export const handler = instrument(
  apiHandler(logger, createUploadRoute({ s3: createS3Client(), dataBucket: env.get('dataBucket') })),
);
