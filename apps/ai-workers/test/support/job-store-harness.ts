import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { JobStore } from '../../src/jobs/job-store.js';
import { ResultStorage } from '../../src/jobs/result-storage.js';
import { type FakeS3, startFakeS3 } from '../fakes/fake-s3.js';
import { createJobsTable, type JobsTableNames, type LocalDynamo, startDynalite } from './dynalite.js';

export const TEST_DATA_BUCKET = 'bandup-test-ai-data';

/** Dynalite with a fresh jobs table, a fake S3, and a JobStore wired to both. */
export interface JobStoreHarness {
  readonly dynamo: LocalDynamo;
  readonly table: JobsTableNames;
  readonly s3: FakeS3;
  readonly s3Client: S3Client;
  readonly doc: DynamoDBDocumentClient;
  readonly store: JobStore;
  close(): Promise<void>;
}

export async function startJobStoreHarness(now?: () => Date): Promise<JobStoreHarness> {
  const dynamo = await startDynalite();
  const table = await createJobsTable(dynamo.client);
  const s3 = await startFakeS3();
  const s3Client = new S3Client({ endpoint: s3.url, forcePathStyle: true, region: process.env.AWS_REGION });
  const doc = DynamoDBDocumentClient.from(dynamo.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new JobStore(doc, {
    ...table,
    results: new ResultStorage(s3Client, TEST_DATA_BUCKET),
    ...(now ? { now } : {}),
  });
  return {
    dynamo,
    table,
    s3,
    s3Client,
    doc,
    store,
    close: async () => {
      s3Client.destroy();
      await s3.close();
      await dynamo.close();
    },
  };
}
