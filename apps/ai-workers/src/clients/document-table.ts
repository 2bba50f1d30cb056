import {
  marshall,
  type marshallOptions,
  type NativeAttributeValue,
  unmarshall,
} from '@aws-sdk/util-dynamodb';
import type { AwsHttpClient } from './aws-http-client.js';

/**
 * DynamoDB with plain JS values in and out, the four operations the workers use: what the SDK's
 * Document client (`@aws-sdk/lib-dynamodb`) does for them, with the same marshaller
 * (`@aws-sdk/util-dynamodb`) and the same options, over the lighter `AwsHttpClient`.
 * `undefined` attributes are dropped so optional fields never reach the wire as NULLs.
 */
export type Item = Record<string, NativeAttributeValue>;

interface Expressions {
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

export interface GetInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly ConsistentRead?: boolean;
}

export interface PutInput extends Expressions {
  readonly TableName: string;
  readonly Item: Item;
  readonly ConditionExpression?: string;
}

export interface UpdateInput extends Expressions {
  readonly TableName: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

export interface QueryInput extends Expressions {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly FilterExpression?: string;
  readonly Limit?: number;
  readonly ScanIndexForward?: boolean;
  readonly ExclusiveStartKey?: Item;
}

export interface QueryOutput {
  readonly Items: Item[];
  readonly LastEvaluatedKey?: Item;
}

const MARSHALL: marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: false };

type Wire = Record<string, unknown>;

export class DocumentTable {
  constructor(readonly client: AwsHttpClient) {}

  async get(input: GetInput): Promise<{ Item?: Item }> {
    const answer = await this.client.send<{ Item?: Wire }>('GetItem', { ...input, Key: toWire(input.Key) });
    return answer.Item ? { Item: fromWire(answer.Item) } : {};
  }

  async put(input: PutInput): Promise<void> {
    await this.client.send('PutItem', withValues({ ...input, Item: toWire(input.Item) }, input));
  }

  async update(input: UpdateInput): Promise<{ Attributes?: Item }> {
    const answer = await this.client.send<{ Attributes?: Wire }>(
      'UpdateItem',
      withValues({ ...input, Key: toWire(input.Key) }, input),
    );
    return answer.Attributes ? { Attributes: fromWire(answer.Attributes) } : {};
  }

  async query(input: QueryInput): Promise<QueryOutput> {
    const answer = await this.client.send<{ Items?: Wire[]; LastEvaluatedKey?: Wire }>(
      'Query',
      withValues(
        {
          ...input,
          ...(input.ExclusiveStartKey ? { ExclusiveStartKey: toWire(input.ExclusiveStartKey) } : {}),
        },
        input,
      ),
    );
    return {
      Items: (answer.Items ?? []).map(fromWire),
      ...(answer.LastEvaluatedKey ? { LastEvaluatedKey: fromWire(answer.LastEvaluatedKey) } : {}),
    };
  }
}

function toWire(item: Item): Wire {
  return marshall(item, MARSHALL) as Wire;
}

function fromWire(item: Wire): Item {
  // Numbers come back as JS numbers (the Document client's `wrapNumbers: false`).
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}

function withValues<T extends object>(wire: T, input: Expressions): T {
  return input.ExpressionAttributeValues
    ? { ...wire, ExpressionAttributeValues: toWire(input.ExpressionAttributeValues) }
    : wire;
}
