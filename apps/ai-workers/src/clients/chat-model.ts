/**
 * The one interface the assessment and flashcard logic use to talk to a chat model. The Bedrock
 * Converse adapter implements it in production; tests point the real SDK client at a fake server.
 */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

export interface ChatRequest {
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  /** Low for scoring (0-0.3), a little higher for card writing. */
  readonly temperature: number;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ChatResponse {
  readonly text: string;
  readonly usage: ModelUsage;
  readonly modelId: string;
  readonly latencyMs: number;
  /** Why the model stopped (`end_turn`, `max_tokens`, ...). */
  readonly stopReason: string;
}

export interface ChatModel {
  readonly modelId: string;
  converse(request: ChatRequest): Promise<ChatResponse>;
}
