import type { BedrockRuntime, ConverseInput, ConverseOutput } from './bedrock-runtime.js';
import type { ChatModel, ChatRequest, ChatResponse } from './chat-model.js';

/**
 * ChatModel over Bedrock Runtime `Converse` (one request/response API for every chat model on
 * Bedrock, the assessment model Gemma 3 12B included). Throttling and 5xx are retried inside the client
 * (see `createBedrockRuntimeClient`); what still fails is thrown as an SDK-shaped service error for
 * the job runner to classify.
 */
export class BedrockConverseModel implements ChatModel {
  /**
   * Whether the model takes Converse's `system` block. Gemma's chat template has no system role;
   * when Bedrock refuses the block for this model, the instructions move into the first user turn
   * (Gemma's own convention) and every later call of this instance sends that shape directly.
   */
  private systemBlock = true;

  constructor(
    private readonly client: BedrockRuntime,
    readonly modelId: string,
  ) {}

  async converse(request: ChatRequest): Promise<ChatResponse> {
    if (request.messages.length === 0 || request.messages[0]?.role !== 'user') {
      throw new Error('A Converse request needs at least one message, and the first must come from the user');
    }
    const started = performance.now();
    let output: ConverseOutput;
    try {
      output = await this.client.converse(this.command(request, this.systemBlock));
    } catch (error) {
      if (!this.systemBlock || !rejectsSystemBlock(error)) throw error;
      this.systemBlock = false;
      output = await this.client.converse(this.command(request, false));
    }
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

  private command(request: ChatRequest, systemBlock: boolean): ConverseInput {
    const messages = request.messages.map((message, index) => ({
      role: message.role,
      content: [
        {
          text: !systemBlock && index === 0 ? `${request.system}\n\n---\n\n${message.text}` : message.text,
        },
      ],
    }));
    return {
      modelId: this.modelId,
      ...(systemBlock ? { system: [{ text: request.system }] } : {}),
      messages,
      inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature },
    };
  }
}

/** Bedrock's answer when a model's chat template has no system role. */
function rejectsSystemBlock(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'ValidationException' && /system/i.test(message ?? '');
}
