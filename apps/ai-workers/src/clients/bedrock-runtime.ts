import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type AwsClientOptions, awsClientConfig, httpHandlerOptions } from './aws-client-config.js';

export interface BedrockRuntimeClientOptions extends AwsClientOptions {
  /** The configured Bedrock region (may differ from the app region); required, never guessed. */
  readonly region: string;
  /** Static credentials (tests, local runs); otherwise the default chain (the Lambda role). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Abort a request that has not answered within this many milliseconds (default 60 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * Bedrock Runtime client for the workers (Converse for the assessment model, InvokeModel for
 * embeddings).
 *
 * - Adaptive retry with 4 attempts by default: throttling is the usual Bedrock failure on on-demand
 *   quotas, and the client-side token bucket slows a burst of jobs down instead of hammering it.
 * - An HTTP/1.1 handler with explicit timeouts. The SDK defaults Bedrock Runtime to HTTP/2, which only
 *   bidirectional streaming needs (never used here); HTTP/1.1 behaves like every other client and lets
 *   tests answer from a plain `node:http` fake server. 60 s covers a 2,000-token answer from a 12B model;
 *   the handler throws when it passes (`throwOnRequestTimeout`), so a hung call fails and is retried.
 */
export function createBedrockRuntimeClient(options: BedrockRuntimeClientOptions): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    ...awsClientConfig({ maxAttempts: 4, ...options }),
    requestHandler: new NodeHttpHandler(httpHandlerOptions(options.requestTimeoutMs ?? 60_000)),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return options.capture ? options.capture(client) : client;
}
