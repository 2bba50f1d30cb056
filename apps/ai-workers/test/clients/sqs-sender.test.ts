import { describe, expect, it } from 'vitest';
import { createSqsSender } from '../../src/clients/sqs-sender.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { startFakeHttpServer } from '../fakes/fake-http-server.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { startFakeSqs } from '../support/fake-sqs.js';

/** The submit function's SQS `SendMessage` (light JSON-protocol client) against a fake SQS. */
const opened = closedAfterEach();

const message = (queueUrl: string) => ({
  QueueUrl: queueUrl,
  MessageBody: JSON.stringify({ jobId: 'j-1', text: 'Essay – with non-ASCII “quotes”' }),
  MessageAttributes: { kind: { DataType: 'String' as const, StringValue: 'writing' } },
});

describe('SqsSender', () => {
  it('sends one SendMessage with the body and attributes intact, and returns the message id', async () => {
    const sqs = await startFakeSqs();
    opened(sqs);
    const sender = createSqsSender({ endpoint: sqs.url });
    const queueUrl = `${sqs.url}/123456789012/bandup-test-writing`;
    const { MessageId } = await sender.sendMessage(message(queueUrl));
    sender.client.destroy();
    expect(sqs.sent).toEqual([
      {
        queueUrl,
        messageId: MessageId,
        body: message(queueUrl).MessageBody,
        attributes: { kind: { DataType: 'String', StringValue: 'writing' } },
      },
    ]);
    expect(sqs.requests[0]!.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(String(sqs.requests[0]!.headers.authorization)).toMatch(/\/ap-southeast-1\/sqs\/aws4_request/);
  });

  it('refuses an answer whose MD5 does not match the body sent (the message may be corrupted)', async () => {
    const fake = await startFakeHttpServer({
      'POST /': () => ({ body: { MessageId: 'm-1', MD5OfMessageBody: '00000000000000000000000000000000' } }),
    });
    opened(fake);
    const sender = createSqsSender({ endpoint: fake.url });
    await expect(sender.sendMessage(message(`${fake.url}/1/q`))).rejects.toMatchObject({
      name: 'InvalidChecksumError',
      message: expect.stringContaining('may not be queued intact'),
    });
    sender.client.destroy();
  });

  it('a missing queue is a permanent error for the caller; an outage is transient', async () => {
    const sqs = await startFakeSqs();
    opened(sqs);
    const sender = createSqsSender({ endpoint: sqs.url, maxAttempts: 1 });
    sqs.sendFailure = { status: 400, code: 'QueueDoesNotExist' };
    const missing = await sender.sendMessage(message(`${sqs.url}/1/q`)).catch((error: unknown) => error);
    expect(missing).toMatchObject({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
    expect(classifyError(missing).type).toBe('permanent');
    sqs.sendFailure = { status: 503, code: 'ServiceUnavailable' };
    const outage = await sender.sendMessage(message(`${sqs.url}/1/q`)).catch((error: unknown) => error);
    expect(classifyError(outage).type).toBe('transient');
    sender.client.destroy();
  });
});
