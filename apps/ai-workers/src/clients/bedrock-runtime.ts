import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsHttpClient, BEDROCK_RUNTIME, createAwsClient } from './aws-http-client.js';

export interface BedrockRuntimeClientOptions extends AwsClientOptions {
  /** The configured Bedrock region (may differ from the app region); required, never guessed. */
  readonly region: string;
  /** Abort a request that has not answered within this many milliseconds (default 60 s). */
  readonly requestTimeoutMs?: number;
}

/** The `Converse` request fields the workers send (the API's own names). */
export interface ConverseInput {
  readonly modelId: string;
  readonly system?: readonly { text: string }[];
  readonly messages: readonly { role: 'user' | 'assistant'; content: readonly { text: string }[] }[];
  readonly inferenceConfig?: { readonly maxTokens?: number; readonly temperature?: number };
}

/** The `Converse` answer fields the workers read. */
export interface ConverseOutput {
  readonly output?: { readonly message?: { readonly content?: readonly { readonly text?: string }[] } };
  readonly stopReason?: string;
  readonly usage?: { readonly inputTokens?: number; readonly outputTokens?: number };
}

/**
 * Bedrock Runtime for the workers: `Converse` for the assessment model, `InvokeModel` for
 * embeddings, over the light JSON client (REST-JSON; no SDK at cold start).
 *
 * - 4 attempts by default with the SDKs' standard backoff: throttling is the usual Bedrock failure on
 *   on-demand quotas, and a throttled retry waits from 500 ms up.
 * - HTTP/1.1 with explicit timeouts. 60 s covers a 2,000-token answer from a 12B model; a hung call
 *   fails as a transient `TimeoutError` and is retried.
 */
export class BedrockRuntime {
  constructor(readonly client: AwsHttpClient) {}

  async converse(input: ConverseInput): Promise<ConverseOutput> {
    const { modelId, ...body } = input;
    const text = await this.client.sendRest('Converse', {
      path: `/model/${encodeURIComponent(modelId)}/converse`,
      body: JSON.stringify(body),
    });
    return JSON.parse(text) as ConverseOutput;
  }

  /** The model's raw answer body (its own JSON format). */
  async invokeModel(modelId: string, body: string): Promise<string> {
    return this.client.sendRest('InvokeModel', {
      path: `/model/${encodeURIComponent(modelId)}/invoke`,
      body,
      headers: { accept: 'application/json' },
    });
  }

  destroy(): void {
    this.client.destroy();
  }
}

export function createBedrockRuntimeClient(options: BedrockRuntimeClientOptions): BedrockRuntime {
  return new BedrockRuntime(
    createAwsClient(BEDROCK_RUNTIME, {
      maxAttempts: 4,
      ...options,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    }),
  );
}
