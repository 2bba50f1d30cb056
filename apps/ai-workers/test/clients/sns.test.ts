import { describe, expect, it } from 'vitest';
import { xmlField } from '../../src/clients/aws-http-client.js';
import { createSnsClient, publishForm } from '../../src/clients/sns.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { startFakeHttpServer } from '../fakes/fake-http-server.js';
import { closedAfterEach } from '../support/closed-after-each.js';

/** SNS `Publish` over the light client's Query protocol, against a loopback server answering in XML. */
const opened = closedAfterEach();

const TOPIC = 'arn:aws:sns:ap-southeast-1:123456789012:bandup-dev-job-events.fifo';
const input = {
  TopicArn: TOPIC,
  Message: '{"jobId":"j-1","note":"Đạt band 7 & hơn"}',
  MessageGroupId: 'j-1',
  MessageDeduplicationId: 'j-1:SUCCEEDED',
  MessageAttributes: {
    type: { DataType: 'String' as const, StringValue: 'job.succeeded' },
    schemaVersion: { DataType: 'Number' as const, StringValue: '1' },
  },
};

describe('publishForm', () => {
  it('writes the Query form SNS reads, one numbered entry per attribute', () => {
    const form = new URLSearchParams(publishForm(input));
    expect(Object.fromEntries(form)).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC,
      Message: input.Message,
      MessageGroupId: 'j-1',
      MessageDeduplicationId: 'j-1:SUCCEEDED',
      'MessageAttributes.entry.1.Name': 'type',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'job.succeeded',
      'MessageAttributes.entry.2.Name': 'schemaVersion',
      'MessageAttributes.entry.2.Value.DataType': 'Number',
      'MessageAttributes.entry.2.Value.StringValue': '1',
    });
    expect(publishForm({ TopicArn: TOPIC, Message: 'm' })).toBe(
      `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(TOPIC)}&Message=m`,
    );
  });
});

describe('SnsPublisher', () => {
  it('publishes and returns the MessageId from the XML answer', async () => {
    const server = await startFakeHttpServer({
      'POST /': () => ({
        headers: { 'content-type': 'text/xml' },
        body: '<PublishResponse><PublishResult><MessageId>m-123</MessageId></PublishResult></PublishResponse>',
      }),
    });
    opened(server);
    const sns = createSnsClient({ endpoint: server.url });
    await expect(sns.publish(input)).resolves.toEqual({ MessageId: 'm-123' });
    sns.client.destroy();
    expect(server.requests[0]!.headers['content-type']).toBe(
      'application/x-www-form-urlencoded; charset=utf-8',
    );
    expect(String(server.requests[0]!.headers.authorization)).toMatch(/\/ap-southeast-1\/sns\/aws4_request/);
    expect(new URLSearchParams(server.requests[0]!.body).get('Message')).toBe(input.Message);
  });

  it('names a refusal from the XML error, entities decoded, and does not retry it', async () => {
    const server = await startFakeHttpServer({
      'POST /': () => ({
        status: 400,
        headers: { 'content-type': 'text/xml' },
        body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Message &lt;too long&gt; &amp; more</Message></Error></ErrorResponse>',
      }),
    });
    opened(server);
    const sns = createSnsClient({ endpoint: server.url });
    const error = await sns.publish(input).catch((failure: unknown) => failure);
    sns.client.destroy();
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({
      name: 'InvalidParameter',
      message: 'Invalid parameter: Message <too long> & more',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('retries an SNS outage, then reports it as transient', async () => {
    const server = await startFakeHttpServer({
      'POST /': () => ({
        status: 500,
        body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error></ErrorResponse>',
      }),
    });
    opened(server);
    const sns = createSnsClient({ endpoint: server.url, maxAttempts: 2 });
    const error = await sns.publish(input).catch((failure: unknown) => failure);
    sns.client.destroy();
    expect(server.requests).toHaveLength(2);
    expect(error).toMatchObject({ name: 'InternalError', $fault: 'server' });
    expect(classifyError(error).type).toBe('transient');
  });

  it('an answer without a MessageId is not taken as published', async () => {
    const server = await startFakeHttpServer({ 'POST /': () => ({ body: '<PublishResponse/>' }) });
    opened(server);
    const sns = createSnsClient({ endpoint: server.url });
    await expect(sns.publish(input)).rejects.toMatchObject({ name: 'InvalidResponse' });
    sns.client.destroy();
  });
});

describe('xmlField', () => {
  it('reads the first element of that name and decodes XML entities', () => {
    expect(xmlField('<a><Code>X</Code><Code>Y</Code></a>', 'Code')).toBe('X');
    expect(xmlField('<Message>&quot;&apos;&#233;&#x1F600;</Message>', 'Message')).toBe(`"'é😀`);
    expect(xmlField('<a/>', 'Code')).toBeUndefined();
  });
});
