import { createHash, randomUUID } from 'node:crypto';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from '../fakes/fake-http-server.js';

/** A message the fake SQS accepted. */
interface SentMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface FakeSqs extends FakeHttpServer {
  readonly sent: SentMessage[];
  /** While set, every SendMessage answers with this error (e.g. `{ status: 400, code: 'QueueDoesNotExist' }`). */
  sendFailure: { status: number; code: string } | undefined;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function sqsError(status: number, code: string): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` },
    body: { __type: `com.amazonaws.sqs#${code}`, message: `fake SQS failure: ${code}` },
  };
}

/**
 * SQS `SendMessage` on loopback, in the AWS JSON 1.0 protocol the SDK speaks
 * (`POST /`, `x-amz-target: AmazonSQS.SendMessage`), answering with the body's MD5 as SQS does
 * (the SDK verifies it). Accepted messages are kept in `sent` for the test to deliver to a worker.
 */
export async function startFakeSqs(): Promise<FakeSqs> {
  const sent: SentMessage[] = [];
  const state: { sendFailure: FakeSqs['sendFailure'] } = { sendFailure: undefined };
  const server = await startFakeHttpServer({
    'POST /': (request) => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSQS.SendMessage') return sqsError(400, 'UnsupportedOperation');
      if (state.sendFailure) return sqsError(state.sendFailure.status, state.sendFailure.code);
      const input = request.json<{
        QueueUrl: string;
        MessageBody: string;
        MessageAttributes?: Record<string, unknown>;
      }>();
      const messageId = randomUUID();
      sent.push({
        queueUrl: input.QueueUrl,
        messageId,
        body: input.MessageBody,
        attributes: input.MessageAttributes ?? {},
      });
      return {
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: { MessageId: messageId, MD5OfMessageBody: md5(input.MessageBody) },
      };
    },
  });
  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    sent,
    get sendFailure() {
      return state.sendFailure;
    },
    set sendFailure(value) {
      state.sendFailure = value;
    },
  };
}
