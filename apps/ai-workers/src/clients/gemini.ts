import type { GoogleGenerativeAI } from '@google/generative-ai';
import { lazy } from './lazy.js';

/** The SDK is loaded with the first call, alongside the key read, rather than at cold start. */
const loadSdk = lazy(() => import('@google/generative-ai'));

/** A JSON answer from a text model, with what it cost. */
export interface JsonCompletion {
  readonly text: string;
  readonly modelId: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
}

export interface JsonCompletionRequest {
  readonly prompt: string;
  readonly temperature: number;
  readonly maxOutputTokens: number;
  /** Abort (and throw) when the model has not answered in this many milliseconds. */
  readonly timeoutMs: number;
}

/** A model that answers a prompt with a JSON document (Gemini in production). */
export interface JsonTextModel {
  readonly modelId: string;
  completeJson(request: JsonCompletionRequest): Promise<JsonCompletion>;
}

export interface GeminiModelOptions {
  readonly modelId: string;
  /** Resolves the API key when a call is made (read from Secrets Manager and cached by the caller). */
  readonly apiKey: () => Promise<string>;
  /**
   * API root, default Google's (`https://generativelanguage.googleapis.com`); tests point it at a
   * loopback fake. The SDK calls `<baseUrl>/<apiVersion>/models/<model>:generateContent`.
   */
  readonly baseUrl?: string;
}

/**
 * Gemini through the official `@google/generative-ai` SDK, asked for `application/json` output.
 * The API key is sent in the `x-goog-api-key` header by the SDK (never in a URL, never logged).
 */
export class GeminiModel implements JsonTextModel {
  readonly modelId: string;
  private readonly apiKey: () => Promise<string>;
  private readonly baseUrl: string | undefined;
  private client: { readonly key: string; readonly sdk: GoogleGenerativeAI } | undefined;

  constructor(options: GeminiModelOptions) {
    this.modelId = options.modelId;
    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl;
  }

  async completeJson(request: JsonCompletionRequest): Promise<JsonCompletion> {
    const [key, { GoogleGenerativeAI }] = await Promise.all([this.apiKey(), loadSdk()]);
    // Reuse the SDK object while the key is the same (one per container in practice).
    if (this.client?.key !== key) this.client = { key, sdk: new GoogleGenerativeAI(key) };
    const model = this.client.sdk.getGenerativeModel(
      {
        model: this.modelId,
        generationConfig: {
          responseMimeType: 'application/json',
          temperature: request.temperature,
          maxOutputTokens: request.maxOutputTokens,
        },
      },
      { timeout: request.timeoutMs, ...(this.baseUrl ? { baseUrl: this.baseUrl } : {}) },
    );
    const result = await model.generateContent(request.prompt, {
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const { response } = result;
    return {
      text: response.text(),
      modelId: this.modelId,
      usage: {
        inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
        outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
      },
    };
  }
}

/**
 * The Gemini key from its secret's string: either the bare key, or a JSON object with an `apiKey`
 * (or `GEMINI_API_KEY`) field, so the secret may be created from the console's key/value editor.
 */
export function geminiApiKeyFromSecret(secret: string): string {
  const trimmed = secret.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('The Gemini secret looks like JSON but does not parse');
    }
    const record = parsed as Record<string, unknown>;
    const key = record.apiKey ?? record.GEMINI_API_KEY;
    if (typeof key !== 'string' || key.trim().length === 0) {
      throw new GeminiKeyMissingError('The Gemini secret is JSON without a non-empty "apiKey" field');
    }
    return key.trim();
  }
  if (trimmed.length === 0) throw new GeminiKeyMissingError('The Gemini API key secret is empty');
  return trimmed;
}

/**
 * The Gemini key secret has no usable value: a configuration error (the deploy check and the
 * `GeminiKeyMissing` alarm exist for it), not a passing failure of the model.
 */
class GeminiKeyMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeminiKeyMissingError';
  }
}

/**
 * Whether an error means the key is not configured: empty or key-less JSON, a secret that exists
 * but was never given a value (Secrets Manager answers ResourceNotFoundException for its current
 * version), or an empty secret string.
 */
export function isGeminiKeyMissing(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return (
    name === 'GeminiKeyMissingError' || name === 'SecretEmptyError' || name === 'ResourceNotFoundException'
  );
}
