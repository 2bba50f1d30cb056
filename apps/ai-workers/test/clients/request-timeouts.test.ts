import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { createSqsClient } from '../../src/clients/sqs.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import {
  converseAnswer,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
} from '../fakes/fake-bedrock.js';
import { type FakeHttpServer, startFakeHttpServer } from '../fakes/fake-http-server.js';

/**
 * A dependency that accepts the connection and never answers must not hold a function until Lambda
 * kills it: the real SDK clients, pointed at fakes that hold their reply back, fail the call at the
 * request timeout with an error the job runner retries.
 */
let servers: (FakeBedrock | FakeHttpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

describe('enforced request timeouts', () => {
  it('Bedrock: a hung Converse call fails at its request timeout as a transient error', async () => {
    const fake = await startFakeBedrock({ converse: () => ({ ...converseAnswer('{}'), delayMs: 10_000 }) });
    servers.push(fake);
    const client = createBedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 1,
      requestTimeoutMs: 300,
    });
    const error = await new BedrockConverseModel(client, 'google.gemma-3-12b-it')
      .converse({ system: 's', messages: [{ role: 'user', text: 'hi' }], maxTokens: 10, temperature: 0 })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(classifyError(error).type).toBe('transient');
  });

  it('every other AWS client (here SQS) has a request timeout too', async () => {
    const fake = await startFakeHttpServer({ 'POST /': () => ({ status: 200, body: {}, delayMs: 10_000 }) });
    servers.push(fake);
    const sqs = createSqsClient({ endpoint: fake.url, maxAttempts: 1, requestTimeoutMs: 300 });
    const error = await sqs
      .send(new SendMessageCommand({ QueueUrl: `${fake.url}/123456789012/q`, MessageBody: 'x' }))
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect((error as Error | undefined)?.name).toBe('TimeoutError');
    expect(classifyError(error).type).toBe('transient');
  });
});
