import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

const JOBS_STREAM_ARN =
  'arn:aws:dynamodb:ap-southeast-1:123456789012:table/bandup-dev-jobs/stream/2026-11-29T00:00:00.000';

type Image = Record<string, AttributeValue>;

export interface StreamRecordInput {
  /** Item before the write, in DynamoDB JSON (absent for an INSERT). */
  readonly oldImage?: Image;
  /** Item after the write (absent for a REMOVE). */
  readonly newImage?: Image;
  readonly keys: Image;
  /** Increasing per shard; DynamoDB's are 21+ digit decimal strings. */
  readonly sequenceNumber: string;
  readonly approximateCreationSeconds: number;
}

/**
 * One record exactly as Lambda receives it from a DynamoDB Stream with view type
 * NEW_AND_OLD_IMAGES: `eventName` from which images exist, DynamoDB-JSON images and keys,
 * `SequenceNumber`, `SizeBytes` and the stream ARN.
 */
export function streamRecord(input: StreamRecordInput): DynamoDBRecord {
  const eventName = !input.oldImage ? 'INSERT' : !input.newImage ? 'REMOVE' : 'MODIFY';
  const dynamodb = {
    ApproximateCreationDateTime: input.approximateCreationSeconds,
    Keys: input.keys,
    ...(input.newImage ? { NewImage: input.newImage } : {}),
    ...(input.oldImage ? { OldImage: input.oldImage } : {}),
    SequenceNumber: input.sequenceNumber,
    SizeBytes: Buffer.byteLength(JSON.stringify([input.keys, input.newImage ?? {}, input.oldImage ?? {}])),
    StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
  };
  return {
    eventID: createHash('md5').update(`${input.sequenceNumber}`).digest('hex'),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-southeast-1',
    dynamodb: dynamodb as DynamoDBRecord['dynamodb'],
    eventSourceARN: JOBS_STREAM_ARN,
  };
}

let sequence = 100_000_000_000_000_000_000n;

/** A record from plain items (marshalled as the document client writes them), for unit tests. */
export function streamRecordOf(
  oldItem: Record<string, unknown> | undefined,
  newItem: Record<string, unknown> | undefined,
): DynamoDBRecord {
  sequence += 1n;
  const jobId = (newItem ?? oldItem)?.jobId;
  const options = { removeUndefinedValues: true };
  return streamRecord({
    keys: { jobId: { S: String(jobId) } },
    ...(oldItem ? { oldImage: marshall(oldItem, options) } : {}),
    ...(newItem ? { newImage: marshall(newItem, options) } : {}),
    sequenceNumber: sequence.toString(),
    approximateCreationSeconds: 1_796_000_000,
  });
}

export function streamEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
