import { randomUUID } from 'node:crypto';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from './fake-http-server.js';
import { FIFO_DEDUPLICATION_MS } from './fake-sqs-fifo.js';

/** A `Publish` call the fake accepted (whether or not deduplication dropped it). */
interface PublishCall {
  readonly topicArn: string;
  readonly message: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly attributes: Readonly<Record<string, { type: string; value: string }>>;
  /** False when the deduplication id was seen within five minutes (accepted, not delivered). */
  readonly delivered: boolean;
}

/** A subscriber of a topic: here, the backend's FIFO queue (raw message delivery). */
export interface FifoSubscriber {
  deliver(message: { body: string; groupId: string; deduplicationId: string }): void;
}

export interface FakeSns extends FakeHttpServer {
  readonly publishes: PublishCall[];
  /**
   * While set, a Publish for which it returns an error code answers HTTP 500 with that code (the SDK
   * retries, then gives up), e.g. an outage that starts after some messages went through.
   */
  failPublish: ((deduplicationId: string | undefined) => string | undefined) | undefined;
}

function xml(status: number, body: string): FakeResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

function snsError(status: number, code: string, message: string): FakeResponse {
  return xml(
    status,
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/**
 * SNS `Publish` on loopback in the AWS Query protocol the SDK speaks (form-encoded request, XML
 * answer), for one FIFO topic with raw delivery to its subscribers. As SNS FIFO does, it refuses a
 * publish without `MessageGroupId` or `MessageDeduplicationId` (no content-based deduplication on
 * the topic) and drops, after accepting it, a message whose deduplication id was published within
 * the last five minutes.
 */
export async function startFakeSns(options: {
  topicArn: string;
  subscribers: readonly FifoSubscriber[];
  now?: () => Date;
}): Promise<FakeSns> {
  if (!options.topicArn.endsWith('.fifo')) throw new Error('the fake SNS models a FIFO topic');
  const now = options.now ?? (() => new Date());
  const publishes: PublishCall[] = [];
  const seen = new Map<string, number>();
  const state: { failPublish: FakeSns['failPublish'] } = { failPublish: undefined };
  let sequence = 20_000_000_000_000_000_000n;

  const server = await startFakeHttpServer({
    'POST /': (request) => {
      const form = new URLSearchParams(request.body);
      if (form.get('Action') !== 'Publish')
        return snsError(400, 'InvalidAction', `Unsupported ${form.get('Action')}`);
      const topicArn = form.get('TopicArn') ?? '';
      if (topicArn !== options.topicArn)
        return snsError(404, 'NotFound', `Topic does not exist: ${topicArn}`);
      const message = form.get('Message');
      const groupId = form.get('MessageGroupId') ?? undefined;
      const deduplicationId = form.get('MessageDeduplicationId') ?? undefined;
      const failure = state.failPublish?.(deduplicationId);
      if (failure) return snsError(500, failure, 'fake SNS failure');
      if (!message) return snsError(400, 'InvalidParameter', 'Message is required');
      if (!groupId)
        return snsError(400, 'InvalidParameter', 'The MessageGroupId parameter is required for FIFO topics');
      if (!deduplicationId) {
        return snsError(
          400,
          'InvalidParameter',
          'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
      const attributes: Record<string, { type: string; value: string }> = {};
      for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i += 1) {
        attributes[form.get(`MessageAttributes.entry.${i}.Name`) ?? ''] = {
          type: form.get(`MessageAttributes.entry.${i}.Value.DataType`) ?? '',
          value: form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '',
        };
      }
      const at = now().getTime();
      const first = seen.get(deduplicationId);
      const delivered = first === undefined || at - first >= FIFO_DEDUPLICATION_MS;
      if (delivered) {
        seen.set(deduplicationId, at);
        for (const subscriber of options.subscribers)
          subscriber.deliver({ body: message, groupId, deduplicationId });
      }
      publishes.push({ topicArn, message, groupId, deduplicationId, attributes, delivered });
      sequence += 1n;
      return xml(
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId><SequenceNumber>${sequence}</SequenceNumber></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    },
  });
  return {
    ...server,
    publishes,
    get failPublish() {
      return state.failPublish;
    },
    set failPublish(value) {
      state.failPublish = value;
    },
  };
}
