import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsHttpClient, DYNAMODB } from '../../src/clients/aws-http-client.js';
import { DocumentTable } from '../../src/clients/document-table.js';
import { createS3Objects, type S3Objects } from '../../src/clients/s3-objects.js';
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
  readonly s3Objects: S3Objects;
  /** The SDK's Document client, for tests that read or seed items behind the store's back. */
  readonly doc: DynamoDBDocumentClient;
  /** What the store itself talks to: the workers' light DynamoDB client on the same table. */
  readonly documents: DocumentTable;
  readonly store: JobStore;
  close(): Promise<void>;
}

export async function startJobStoreHarness(now?: () => Date): Promise<JobStoreHarness> {
  const dynamo = await startDynalite();
  const table = await createJobsTable(dynamo.client);
  const s3 = await startFakeS3();
  const s3Objects = createS3Objects({ endpoint: s3.url, forcePathStyle: true });
  const doc = DynamoDBDocumentClient.from(dynamo.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const documents = localDocumentTable(dynamo.endpoint);
  const store = new JobStore(documents, {
    ...table,
    results: new ResultStorage(s3Objects, TEST_DATA_BUCKET),
    ...(now ? { now } : {}),
  });
  return {
    dynamo,
    table,
    s3,
    s3Objects,
    doc,
    documents,
    store,
    close: async () => {
      documents.client.destroy();
      s3Objects.destroy();
      await s3.close();
      await dynamo.close();
    },
  };
}

/** The workers' DynamoDB client pointed at a local endpoint (fake credentials, test region). */
export function localDocumentTable(endpoint: string, maxAttempts?: number): DocumentTable {
  return new DocumentTable(
    new AwsHttpClient(DYNAMODB, {
      endpoint,
      region: process.env.AWS_REGION ?? 'ap-southeast-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    }),
  );
}
