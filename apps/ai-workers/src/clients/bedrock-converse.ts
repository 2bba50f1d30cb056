import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ChatModel, ChatRequest, ChatResponse } from './chat-model.js';

/**
 * ChatModel over Bedrock Runtime `Converse` (one request/response API for every chat model on
 * Bedrock, the assessment model Gemma 3 12B included). Throttling and 5xx are retried inside the SDK
 * client (adaptive retry, see `createBedrockRuntimeClient`); what still fails is thrown as the SDK's
 * error for the job runner to classify.
 */
export class BedrockConverseModel implements ChatModel {
  constructor(
    private readonly client: BedrockRuntimeClient,
    readonly modelId: string,
  ) {}

  async converse(request: ChatRequest): Promise<ChatResponse> {
    if (request.messages.length === 0 || request.messages[0]?.role !== 'user') {
      throw new Error('A Converse request needs at least one message, and the first must come from the user');
    }
    const started = performance.now();
    const output = await this.client.send(
      new ConverseCommand({
        modelId: this.modelId,
        system: [{ text: request.system }],
        messages: request.messages.map((message) => ({
          role: message.role,
          content: [{ text: message.text }],
        })),
        inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature },
      }),
    );
    // Wall time as the job experienced it, retries included (Bedrock's own `metrics.latencyMs`
    // covers only the last attempt).
    const latencyMs = Math.round(performance.now() - started);

    const message = output.output?.message;
    if (!message) {
      throw new Error(
        `Bedrock Converse answered without a message (stopReason: ${output.stopReason ?? 'none'})`,
      );
    }
    const text = (message.content ?? [])
      .map((block) => block.text ?? '')
      .join('')
      .trim();
    return {
      text,
      usage: { inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0 },
      modelId: this.modelId,
      latencyMs,
      stopReason: output.stopReason ?? 'unknown',
    };
  }
}
