import type { readWorkerEnv } from '@bandup/shared';
import type { DocumentTable } from '../clients/document-table.js';
import { createDocumentTable } from '../clients/dynamodb.js';
import type { S3Objects } from '../clients/s3-objects.js';
import { JobStore } from '../jobs/job-store.js';
import { ResultStorage } from '../jobs/result-storage.js';
import { traceAwsCalls } from './aws-call-tracing.js';

export type WorkerEnv = ReturnType<typeof readWorkerEnv>;

/** Adds an X-Ray subsegment per call to an AWS client (nothing is sent unless the invocation is sampled). */
export const traced = traceAwsCalls;

/**
 * The job store of a function, from its catalogue env (`BANDUP_JOBS_TABLE`,
 * `BANDUP_JOBS_BY_USER_INDEX`, `BANDUP_DATA_BUCKET`), with a traced DynamoDB client. Results too large
 * for the item go through `s3`, which is only called for those. A function
 * that talks to other tables too passes its one DynamoDB client as `dynamo` (a client per table would
 * be built, and paid for at cold start, for nothing).
 */
export function jobStoreFromEnv(
  env: WorkerEnv,
  s3: S3Objects,
  dynamo: DocumentTable = createDocumentTable({ capture: traced }),
): JobStore {
  return new JobStore(dynamo, {
    tableName: env.get('jobsTable'),
    byUserIndexName: env.get('jobsByUserIndex'),
    results: new ResultStorage(s3, env.get('dataBucket')),
  });
}
