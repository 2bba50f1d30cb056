import type { S3Client } from '@aws-sdk/client-s3';
import type { readWorkerEnv } from '@bandup/shared';
import { createDocumentClient } from '../clients/dynamodb.js';
import { JobStore } from '../jobs/job-store.js';
import { ResultStorage } from '../jobs/result-storage.js';
import { tracer } from './observability.js';

export type WorkerEnv = ReturnType<typeof readWorkerEnv>;

/** Captures an AWS SDK client in X-Ray (a no-op outside Lambda or with tracing disabled). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);

/**
 * The job store of a function, from its catalogue env (`BANDUP_JOBS_TABLE`,
 * `BANDUP_JOBS_BY_USER_INDEX`, `BANDUP_DATA_BUCKET`), with a traced DynamoDB client.
 */
export function jobStoreFromEnv(env: WorkerEnv, s3: S3Client): JobStore {
  return new JobStore(createDocumentClient({ capture: traced }), {
    tableName: env.get('jobsTable'),
    byUserIndexName: env.get('jobsByUserIndex'),
    results: new ResultStorage(s3, env.get('dataBucket')),
  });
}
