import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { JOBS_TABLE, SUBMISSION_COUNTERS_TABLE } from '@bandup/shared';
import dynalite from 'dynalite';

/** A dynalite (DynamoDB wire protocol) server on loopback, in memory. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`: set as `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  /** A low-level client pointed at it (fake credentials, test region). */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'ap-southeast-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

let tableCounter = 0;

/** Names for a jobs table and its by-user index, unique per call so tests never share state. */
export interface JobsTableNames {
  readonly tableName: string;
  readonly byUserIndexName: string;
}

/**
 * Creates a jobs table shaped like the infra's (key `jobId`; GSI `userId` + `createdAt`, all
 * attributes projected; the sparse by-deadline GSI). Dynalite accepts but does not run TTL: tests assert the `expiresAt` value.
 */
export async function createJobsTable(client: DynamoDBClient, prefix = 'jobs'): Promise<JobsTableNames> {
  tableCounter += 1;
  const names = {
    tableName: `${prefix}-${process.pid}-${tableCounter}`,
    byUserIndexName: JOBS_TABLE.byUserIndex.name,
  };
  await client.send(
    new CreateTableCommand({
      TableName: names.tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: JOBS_TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: JOBS_TABLE.byUserIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: JOBS_TABLE.byUserIndex.sortKey, AttributeType: 'S' },
        { AttributeName: JOBS_TABLE.byDeadlineIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: JOBS_TABLE.byDeadlineIndex.sortKey, AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: JOBS_TABLE.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: names.byUserIndexName,
          KeySchema: [
            { AttributeName: JOBS_TABLE.byUserIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: JOBS_TABLE.byUserIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: JOBS_TABLE.byDeadlineIndex.name,
          KeySchema: [
            { AttributeName: JOBS_TABLE.byDeadlineIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: JOBS_TABLE.byDeadlineIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  return names;
}

/** Creates a submission counters table shaped like the infra's (key `counterId`); returns its name. */
export async function createSubmissionCountersTable(
  client: DynamoDBClient,
  prefix = 'counters',
): Promise<string> {
  tableCounter += 1;
  const tableName = `${prefix}-${process.pid}-${tableCounter}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: SUBMISSION_COUNTERS_TABLE.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: SUBMISSION_COUNTERS_TABLE.partitionKey, KeyType: 'HASH' }],
    }),
  );
  return tableName;
}
