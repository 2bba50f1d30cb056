import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { currentTraceContext, daemonAddress, traceAwsCalls } from '../../src/runtime/aws-call-tracing.js';
import {
  createJobsTable,
  type JobsTableNames,
  type LocalDynamo,
  startDynalite,
} from '../support/dynalite.js';

/**
 * The subsegments go over real UDP to a loopback "daemon", for real SDK calls against dynalite, with
 * the trace header Lambda sets for a sampled invocation.
 */
const ROOT = '1-67891233-abcdef012345678912345678';
const PARENT = '53995c3f42cd8ad8';

let dynamo: LocalDynamo;
let table: JobsTableNames;
let daemon: Socket;
let datagrams: string[];
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  table = await createJobsTable(dynamo.client);
  daemon = createSocket('udp4');
  datagrams = [];
  daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  const { port } = daemon.address() as AddressInfo;
  process.env.AWS_XRAY_DAEMON_ADDRESS = `udp:127.0.0.1:${port} tcp:127.0.0.1:${port}`;
  client = traceAwsCalls(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    }),
  );
});

afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
  datagrams.length = 0;
});

afterAll(async () => {
  delete process.env.AWS_XRAY_DAEMON_ADDRESS;
  client.destroy();
  daemon.close();
  await dynamo.close();
});

/** Waits for `count` datagrams and parses them as the daemon does: a JSON header line, then the document. */
async function received(count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100 && datagrams.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return datagrams.map((datagram) => {
    const [header, body] = datagram.split('\n');
    expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
    return JSON.parse(body!) as Record<string, unknown>;
  });
}

describe('traceAwsCalls', () => {
  it('sends one subsegment per call of a sampled invocation, under the function segment', async () => {
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=1;Lineage=a:0`;
    const before = Date.now() / 1000;
    await client.send(new GetItemCommand({ TableName: table.tableName, Key: { jobId: { S: 'x' } } }));
    const [segment] = await received(1);
    expect(segment).toMatchObject({
      trace_id: ROOT,
      parent_id: PARENT,
      type: 'subsegment',
      name: 'DynamoDB',
      namespace: 'aws',
      aws: { operation: 'GetItem', region: 'ap-southeast-1', retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(segment!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(segment!.start_time).toBeGreaterThanOrEqual(Math.floor(before));
    expect(segment!.end_time).toBeGreaterThanOrEqual(segment!.start_time as number);
    expect(segment).not.toHaveProperty('error');
    expect(segment).not.toHaveProperty('fault');
  });

  it('marks a failed call as an error with its cause, and still throws it', async () => {
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=1`;
    await expect(client.send(new DescribeTableCommand({ TableName: 'no-such-table' }))).rejects.toThrow(
      /no-such-table|not found/i,
    );
    const [segment] = await received(1);
    expect(segment).toMatchObject({
      name: 'DynamoDB',
      aws: { operation: 'DescribeTable' },
      http: { response: { status: 400 } },
      error: true,
      cause: { exceptions: [{ type: 'ResourceNotFoundException' }] },
    });
    expect(segment).not.toHaveProperty('fault');
  });

  it('sends nothing when the invocation is not sampled or there is no trace', async () => {
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=0`;
    await client.send(new GetItemCommand({ TableName: table.tableName, Key: { jobId: { S: 'x' } } }));
    delete process.env._X_AMZN_TRACE_ID;
    await client.send(new GetItemCommand({ TableName: table.tableName, Key: { jobId: { S: 'x' } } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(datagrams).toEqual([]);
  });
});

describe('trace header and daemon address', () => {
  it('reads root and parent only from a sampled header', () => {
    expect(currentTraceContext(`Root=${ROOT};Parent=${PARENT};Sampled=1`)).toEqual({
      traceId: ROOT,
      parentId: PARENT,
    });
    expect(currentTraceContext(`Root=${ROOT};Parent=${PARENT};Sampled=0`)).toBeUndefined();
    expect(currentTraceContext(`Root=${ROOT};Sampled=1`)).toBeUndefined();
    expect(currentTraceContext('')).toBeUndefined();
  });

  it("parses Lambda's daemon address forms", () => {
    expect(daemonAddress('udp:169.254.79.129:2000 tcp:169.254.79.129:2000')).toEqual({
      host: '169.254.79.129',
      port: 2000,
    });
    expect(daemonAddress('10.0.0.1:3000')).toEqual({ host: '10.0.0.1', port: 3000 });
    expect(daemonAddress('')).toEqual({ host: '127.0.0.1', port: 2000 });
  });
});
