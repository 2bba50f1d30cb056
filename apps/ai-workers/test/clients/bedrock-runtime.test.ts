import { describe, expect, it } from 'vitest';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from '../fakes/fake-http-server.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { resignedAuthorization } from '../support/sigv4-resign.js';

/**
 * Bedrock Runtime over the light client (REST-JSON): the model id in the path is signed as AWS
 * verifies it (double URI-encoding of `:`), errors named in `x-amzn-errortype` keep their names.
 */
const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
const opened = closedAfterEach();

async function fakeBedrock(
  answer: () => FakeResponse,
): Promise<{ server: FakeHttpServer; bedrock: BedrockRuntime }> {
  const server = opened(await startFakeHttpServer({ 'POST /model/([^/]+)/(converse|invoke)': answer }));
  const bedrock = opened(
    createBedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: CREDENTIALS,
      maxAttempts: 2,
    }),
  );
  return { server, bedrock };
}

describe('BedrockRuntime', () => {
  it('signs InvokeModel for a model id with a colon exactly as the SDK signer does', async () => {
    const { server, bedrock } = await fakeBedrock(() => ({
      body: { embedding: [0.1], inputTextTokenCount: 1 },
    }));
    const answer = await bedrock.invokeModel('amazon.titan-embed-text-v2:0', '{"inputText":"hi"}');
    expect(JSON.parse(answer)).toEqual({ embedding: [0.1], inputTextTokenCount: 1 });

    const [request] = server.requests;
    const resigned = await resignedAuthorization(request!, {
      serverUrl: server.url,
      service: 'bedrock',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      path: '/model/amazon.titan-embed-text-v2%3A0/invoke',
    });
    expect(resigned).toBe(request!.headers.authorization);
    expect(String(request!.headers.authorization)).toContain('/us-east-1/bedrock/aws4_request');
  });

  it('Converse sends the body without the model id and returns the parsed answer', async () => {
    const { server, bedrock } = await fakeBedrock(() => ({
      body: { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn' },
    }));
    const output = await bedrock.converse({
      modelId: 'google.gemma-3-12b-it',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 10, temperature: 0 },
    });
    expect(output.output?.message?.content?.[0]?.text).toBe('ok');
    expect(server.requests[0]!.path).toBe('/model/google.gemma-3-12b-it/converse');
    expect(server.requests[0]!.json()).toEqual({
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 10, temperature: 0 },
    });
  });

  it('names an error from x-amzn-errortype; throttling is retried, then transient', async () => {
    const { server, bedrock } = await fakeBedrock(() => ({
      status: 429,
      headers: {
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      },
      body: { message: 'Too many requests, please wait before trying again.' },
    }));
    const error = await bedrock.invokeModel('m', '{}').catch((failure: unknown) => failure);
    expect(server.requests).toHaveLength(2);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      message: 'Too many requests, please wait before trying again.',
      $metadata: { httpStatusCode: 429, attempts: 2 },
    });
    expect(classifyError(error).type).toBe('transient');
  });

  it('an access or validation refusal is not retried and is permanent for the job', async () => {
    const { server, bedrock } = await fakeBedrock(() => ({
      status: 403,
      headers: {
        'x-amzn-errortype':
          'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/',
      },
      body: { Message: "You don't have access to the model with the specified model ID." },
    }));
    const error = await bedrock.converse({ modelId: 'm', messages: [] }).catch((failure: unknown) => failure);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ name: 'AccessDeniedException', $fault: 'client' });
    expect(classifyError(error).type).toBe('permanent');
  });
});
