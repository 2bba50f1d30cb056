import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { streamRecord } from './stream-records.js';

/**
 * Dynalite has no DynamoDB Streams. This proxy sits between the real SDK clients and dynalite and
 * produces, for every item write that succeeds and changes the item, the stream record DynamoDB
 * would: it reads the item (strongly consistent) right before and right after forwarding the write,
 * with writes serialised so that nothing can slip in between, and keeps the record in `records`
 * in the exact Lambda event shape (NEW_AND_OLD_IMAGES). A conditional write that fails, or one that
 * leaves the item as it was, produces no record, as in DynamoDB.
 */
export interface RecordingDynamoProxy {
  /** Point `AWS_ENDPOINT_URL_DYNAMODB` here. */
  readonly endpoint: string;
  /** Stream records in commit order. */
  readonly records: DynamoDBRecord[];
  close(): Promise<void>;
}

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const UNSUPPORTED_WRITES = new Set(['BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement']);

interface ForwardedAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export async function startRecordingDynamoProxy(options: {
  /** dynalite's endpoint. */
  readonly target: string;
  /** A client pointed at dynalite, for the before/after reads. */
  readonly client: DynamoDBClient;
  /** The table whose stream is recorded, and its key attributes. */
  readonly tableName: string;
  readonly keyAttributes: readonly string[];
  /** Stream clock (seconds), for `ApproximateCreationDateTime`. */
  readonly now?: () => Date;
}): Promise<RecordingDynamoProxy> {
  const records: DynamoDBRecord[] = [];
  const target = new URL(options.target);
  const now = options.now ?? (() => new Date());
  let sequence = 400_000_000_000_000_000_000n;
  let writes: Promise<unknown> = Promise.resolve();

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<ForwardedAnswer>((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers: { ...headers, host: target.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const readItem = async (key: Record<string, AttributeValue>) =>
    (
      await options.client.send(
        new GetItemCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }),
      )
    ).Item;

  const keyOf = (operation: string, input: Record<string, unknown>): Record<string, AttributeValue> => {
    const source = (operation === 'PutItem' ? input.Item : input.Key) as Record<string, AttributeValue>;
    return Object.fromEntries(options.keyAttributes.map((name) => [name, source[name] as AttributeValue]));
  };

  const recordWrite = async (
    operation: string,
    input: Record<string, unknown>,
    send: () => Promise<ForwardedAnswer>,
  ): Promise<ForwardedAnswer> => {
    const key = keyOf(operation, input);
    const before = await readItem(key);
    const answer = await send();
    if (answer.status !== 200) return answer;
    const after = await readItem(key);
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return answer;
    sequence += 1n;
    records.push(
      streamRecord({
        keys: key,
        ...(before ? { oldImage: before } : {}),
        ...(after ? { newImage: after } : {}),
        sequenceNumber: sequence.toString(),
        approximateCreationSeconds: Math.floor(now().getTime() / 1000),
      }),
    );
    return answer;
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    try {
      let answer: ForwardedAnswer;
      const input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      if (UNSUPPORTED_WRITES.has(operation)) {
        throw new Error(`the stream recorder does not support ${operation}; add it before using it`);
      }
      if (ITEM_WRITES.has(operation) && input.TableName === options.tableName) {
        const send = () => forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
        const run = writes.then(() => recordWrite(operation, input, send));
        writes = run.catch(() => undefined);
        answer = await run;
      } else {
        answer = await forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: `proxy: ${(error as Error).message}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    records,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
