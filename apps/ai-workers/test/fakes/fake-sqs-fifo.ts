import { createHash, randomUUID } from 'node:crypto';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from './fake-http-server.js';

/** SQS FIFO deduplication interval: a deduplication id seen within it is accepted but not enqueued. */
export const FIFO_DEDUPLICATION_MS = 5 * 60 * 1000;

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequenceNumber: string;
  receiveCount: number;
  /** Set while received and not yet deleted (FIFO: its group is blocked meanwhile). */
  receiptHandle?: string;
}

export interface FakeSqsFifo extends FakeHttpServer {
  readonly queueUrl: string;
  /** Messages ever enqueued (after deduplication), in order. */
  readonly enqueued: readonly { body: string; groupId: string; deduplicationId: string }[];
  /** Messages still in the queue (visible or in flight). */
  readonly depth: number;
  /** What SNS does for a subscribed queue (in process: that hop is inside AWS, not an SDK call). */
  deliver(message: { body: string; groupId: string; deduplicationId: string }): void;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function sqsError(code: string, message: string): FakeResponse {
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` },
    body: { __type: `com.amazonaws.sqs#${code}`, message },
  };
}

/**
 * One SQS FIFO queue on loopback in the JSON protocol the SDK speaks: `ReceiveMessage` and
 * `DeleteMessage` for the consumer (the backend, played by the real `SQSClient`), with FIFO
 * semantics: a deduplication id seen within five minutes is dropped, messages of one group are
 * delivered in order and not while an earlier one of the group is in flight.
 */
export async function startFakeSqsFifo(options: { name: string; now?: () => Date }): Promise<FakeSqsFifo> {
  if (!options.name.endsWith('.fifo')) throw new Error(`FIFO queue names end in .fifo: ${options.name}`);
  const now = options.now ?? (() => new Date());
  const messages: StoredMessage[] = [];
  const enqueued: { body: string; groupId: string; deduplicationId: string }[] = [];
  const seen = new Map<string, number>();
  let sequence = 10_000_000_000_000_000_000n;
  let queueUrl = '';

  const server = await startFakeHttpServer({
    'POST /': (request) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const input = request.json<Record<string, unknown>>();
      if (input.QueueUrl !== queueUrl)
        return sqsError('QueueDoesNotExist', `No queue ${String(input.QueueUrl)}`);
      if (target === 'AmazonSQS.ReceiveMessage') {
        const max = Number(input.MaxNumberOfMessages ?? 1);
        const busyGroups = new Set(messages.filter((m) => m.receiptHandle).map((m) => m.groupId));
        const batch: StoredMessage[] = [];
        for (const message of messages) {
          if (batch.length >= max) break;
          if (message.receiptHandle || busyGroups.has(message.groupId)) continue;
          message.receiptHandle = randomUUID();
          message.receiveCount += 1;
          busyGroups.add(message.groupId);
          batch.push(message);
        }
        return {
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: {
            Messages: batch.map((m) => ({
              MessageId: m.messageId,
              ReceiptHandle: m.receiptHandle,
              MD5OfBody: md5(m.body),
              Body: m.body,
              Attributes: {
                MessageGroupId: m.groupId,
                MessageDeduplicationId: m.deduplicationId,
                SequenceNumber: m.sequenceNumber,
                ApproximateReceiveCount: String(m.receiveCount),
              },
            })),
          },
        };
      }
      if (target === 'AmazonSQS.DeleteMessage') {
        const index = messages.findIndex((m) => m.receiptHandle && m.receiptHandle === input.ReceiptHandle);
        if (index < 0) return sqsError('ReceiptHandleIsInvalid', 'Unknown receipt handle');
        messages.splice(index, 1);
        return { headers: { 'content-type': 'application/x-amz-json-1.0' }, body: {} };
      }
      return sqsError('UnsupportedOperation', `The fake FIFO queue does not implement ${target}`);
    },
  });
  queueUrl = `${server.url}/123456789012/${options.name}`;

  return {
    ...server,
    queueUrl,
    enqueued,
    get depth() {
      return messages.length;
    },
    deliver(message) {
      const at = now().getTime();
      const first = seen.get(message.deduplicationId);
      if (first !== undefined && at - first < FIFO_DEDUPLICATION_MS) return;
      seen.set(message.deduplicationId, at);
      sequence += 1n;
      enqueued.push(message);
      messages.push({
        ...message,
        messageId: randomUUID(),
        sequenceNumber: sequence.toString(),
        receiveCount: 0,
      });
    },
  };
}
