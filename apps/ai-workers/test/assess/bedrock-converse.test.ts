import { afterEach, describe, expect, it } from 'vitest';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import {
  converseAnswer,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
  THROTTLED,
} from '../fakes/fake-bedrock.js';

const MODEL_ID = 'google.gemma-3-12b-it';
let fake: FakeBedrock | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function modelFor(server: FakeBedrock, maxAttempts = 4): BedrockConverseModel {
  const client = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: FAKE_CREDENTIALS,
    maxAttempts,
  });
  return new BedrockConverseModel(client, MODEL_ID);
}

describe('BedrockConverseModel', () => {
  it('sends the model id in the path, the system prompt and the inference config, and reads the answer', async () => {
    fake = await startFakeBedrock({
      converse: [converseAnswer('{"ok":true}', { inputTokens: 321, outputTokens: 7 })],
    });
    const response = await modelFor(fake).converse({
      system: 'You are an examiner.',
      messages: [{ role: 'user', text: 'Score this.' }],
      maxTokens: 1500,
      temperature: 0.1,
    });

    expect(response).toMatchObject({
      text: '{"ok":true}',
      usage: { inputTokens: 321, outputTokens: 7 },
      modelId: MODEL_ID,
      stopReason: 'end_turn',
    });
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);

    const [call] = fake.converseCalls;
    expect(call?.modelId).toBe(MODEL_ID);
    expect(call?.body.system).toEqual([{ text: 'You are an examiner.' }]);
    expect(call?.body.messages).toEqual([{ role: 'user', content: [{ text: 'Score this.' }] }]);
    expect(call?.body.inferenceConfig).toEqual({ maxTokens: 1500, temperature: 0.1 });
    // Signed for real with SigV4 for the bedrock service in the configured region.
    expect(call?.request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFORTESTS\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
  });

  it('retries a throttled call (adaptive retry) and then succeeds', async () => {
    fake = await startFakeBedrock({ converse: [THROTTLED, converseAnswer('after throttling')] });
    const response = await modelFor(fake).converse({
      system: 's',
      messages: [{ role: 'user', text: 'u' }],
      maxTokens: 10,
      temperature: 0.1,
    });
    expect(response.text).toBe('after throttling');
    expect(fake.converseCalls).toHaveLength(2);
  });

  it('gives up with the throttling error when every attempt is throttled', async () => {
    fake = await startFakeBedrock({ converse: [THROTTLED, THROTTLED] });
    await expect(
      modelFor(fake, 2).converse({
        system: 's',
        messages: [{ role: 'user', text: 'u' }],
        maxTokens: 10,
        temperature: 0.1,
      }),
    ).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    expect(fake.converseCalls).toHaveLength(2);
  });

  it('refuses a conversation that does not start with the user', async () => {
    fake = await startFakeBedrock({});
    await expect(
      modelFor(fake).converse({
        system: 's',
        messages: [{ role: 'assistant', text: 'a' }],
        maxTokens: 10,
        temperature: 0,
      }),
    ).rejects.toThrow(/first must come from the user/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('BedrockConverseModel with a model that has no system role (Gemma 3)', () => {
  it('moves the instructions into the first user turn when Bedrock refuses the system block, then keeps that shape', async () => {
    const rejected = { withSystem: 0 };
    fake = await startFakeBedrock({
      converse: (call) => {
        if (call.body.system !== undefined) {
          rejected.withSystem += 1;
          return {
            status: 400,
            headers: {
              'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
            },
            body: { message: "This model doesn't support system messages." },
          };
        }
        return converseAnswer('{"ok":true}');
      },
    });
    const model = modelFor(fake, 1);
    const request = {
      system: 'You are an IELTS examiner.',
      messages: [{ role: 'user' as const, text: 'Score this essay.' }],
      maxTokens: 100,
      temperature: 0,
    };
    expect((await model.converse(request)).text).toBe('{"ok":true}');
    const accepted = fake.converseCalls.at(-1)!;
    expect(accepted.body.system).toBeUndefined();
    expect(accepted.body.messages[0]?.content[0]?.text).toBe(
      'You are an IELTS examiner.\n\n---\n\nScore this essay.',
    );
    await model.converse(request);
    expect(rejected.withSystem).toBe(1);
    expect(fake.converseCalls).toHaveLength(3);
  });

  it('does not retry other validation errors', async () => {
    fake = await startFakeBedrock({
      converse: [
        {
          status: 400,
          headers: { 'x-amzn-errortype': 'ValidationException' },
          body: { message: 'maxTokens must be at most 8192' },
        },
      ],
    });
    await expect(
      modelFor(fake, 1).converse({
        system: 's',
        messages: [{ role: 'user', text: 'x' }],
        maxTokens: 1,
        temperature: 0,
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(fake.converseCalls).toHaveLength(1);
  });
});
