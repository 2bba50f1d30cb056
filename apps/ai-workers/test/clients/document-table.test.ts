import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentTable } from '../../src/clients/document-table.js';
import {
  createJobsTable,
  type JobsTableNames,
  type LocalDynamo,
  startDynalite,
} from '../support/dynalite.js';
import { localDocumentTable } from '../support/job-store-harness.js';

/**
 * The workers' Document table against dynalite, checked item for item against the SDK's own
 * Document client on the same table: what one writes the other reads back unchanged.
 */
let dynamo: LocalDynamo;
let names: JobsTableNames;
let table: DocumentTable;
let sdk: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  names = await createJobsTable(dynamo.client, 'document-table');
  table = localDocumentTable(dynamo.endpoint);
  sdk = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  table.client.destroy();
  await dynamo.close();
});

const item = (jobId: string, extra: Record<string, unknown> = {}) => ({
  jobId,
  userId: 'user-dt',
  createdAt: `2026-06-01T08:00:0${jobId.slice(-1)}.000Z`,
  attempts: 2,
  ratio: 0.25,
  enqueueFailed: true,
  result: { band: 6.5, criteria: [{ name: 'lexical', band: 7 }], note: null },
  ...extra,
});

describe('DocumentTable', () => {
  it('writes plain values the SDK Document client reads back unchanged, dropping undefined fields', async () => {
    await table.put({ TableName: names.tableName, Item: item('dt-1', { finishedAt: undefined }) });
    const read = await sdk.send(new GetCommand({ TableName: names.tableName, Key: { jobId: 'dt-1' } }));
    expect(read.Item).toEqual(item('dt-1'));
    expect(read.Item).not.toHaveProperty('finishedAt');
  });

  it('reads what the SDK Document client wrote, numbers as numbers; a missing item has no Item', async () => {
    await sdk.send(new PutCommand({ TableName: names.tableName, Item: item('dt-2') }));
    expect(
      await table.get({ TableName: names.tableName, Key: { jobId: 'dt-2' }, ConsistentRead: true }),
    ).toEqual({
      Item: item('dt-2'),
    });
    expect(await table.get({ TableName: names.tableName, Key: { jobId: 'dt-none' } })).toEqual({});
  });

  it('updates under a condition and returns the new item; a refused condition is the SDK-named error', async () => {
    await table.put({ TableName: names.tableName, Item: item('dt-3') });
    const update = {
      TableName: names.tableName,
      Key: { jobId: 'dt-3' },
      UpdateExpression: 'SET attempts = attempts + :one, #s = :running',
      ConditionExpression: 'attempts < :max',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':running': 'RUNNING', ':max': 3 },
      ReturnValues: 'ALL_NEW' as const,
    };
    const { Attributes } = await table.update(update);
    expect(Attributes).toEqual({ ...item('dt-3'), attempts: 3, status: 'RUNNING' });
    await expect(table.update(update)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      $metadata: { httpStatusCode: 400 },
    });
    const { ConditionExpression: _unconditional, ...always } = update;
    const done = { ...always, ExpressionAttributeValues: { ':one': 1, ':running': 'DONE' } };
    expect(await table.update({ ...done, ReturnValues: 'NONE' })).toEqual({});
  });

  it('pages a query with LastEvaluatedKey / ExclusiveStartKey in plain values', async () => {
    const userId = 'user-pages';
    for (const id of ['dt-p1', 'dt-p2', 'dt-p3']) {
      await table.put({ TableName: names.tableName, Item: item(id, { userId }) });
    }
    const query = {
      TableName: names.tableName,
      IndexName: names.byUserIndexName,
      KeyConditionExpression: 'userId = :u',
      ExpressionAttributeValues: { ':u': userId },
      Limit: 2,
      ScanIndexForward: false,
    };
    const first = await table.query(query);
    expect(first.Items.map((found) => found.jobId)).toEqual(['dt-p3', 'dt-p2']);
    expect(first.LastEvaluatedKey).toMatchObject({ jobId: 'dt-p2', userId });
    const second = await table.query({ ...query, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(second.Items.map((found) => found.jobId)).toEqual(['dt-p1']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });
});
