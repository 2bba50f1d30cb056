import {
  type FakeHttpServer,
  type FakeResponse,
  type RecordedRequest,
  startFakeHttpServer,
} from './fake-http-server.js';

/** One `generateContent` call as the fake saw it. */
interface GeminiCall {
  readonly model: string;
  /** The `x-goog-api-key` header (tests assert the key from the secret was used). */
  readonly apiKey: string | undefined;
  /** The prompt text (all text parts of the request joined). */
  readonly prompt: string;
  readonly request: RecordedRequest;
}

export interface FakeGeminiOptions {
  /** The model's text answer, or a raw HTTP response (errors), per call. */
  readonly reply: (call: GeminiCall) => string | FakeResponse;
}

export interface FakeGemini extends FakeHttpServer {
  readonly calls: GeminiCall[];
}

/** A `generateContent` success with the shape the Gemini API returns. */
export function geminiAnswer(text: string): FakeResponse {
  return {
    status: 200,
    body: {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 420, candidatesTokenCount: 64, totalTokenCount: 484 },
      modelVersion: 'gemini-fake',
    },
  };
}

/** Gemini is down: what the API answers when overloaded. */
export const GEMINI_UNAVAILABLE: FakeResponse = {
  status: 503,
  body: {
    error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
  },
};

/**
 * A fake Gemini API on loopback. Point `new GeminiModel({ baseUrl: fake.url, ... })` at it; the real
 * `@google/generative-ai` SDK builds, sends and parses the requests.
 */
export async function startFakeGemini(options: FakeGeminiOptions): Promise<FakeGemini> {
  const calls: GeminiCall[] = [];
  const server = await startFakeHttpServer({
    'POST /v1beta/models/([^:/]+):generateContent': (request, match) => {
      const body = request.json<{ contents?: { parts?: { text?: string }[] }[] }>();
      const prompt = (body.contents ?? [])
        .flatMap((content) => content.parts ?? [])
        .map((part) => part.text ?? '')
        .join('\n');
      const apiKey = request.headers['x-goog-api-key'];
      const call: GeminiCall = {
        model: match[1] ?? '',
        apiKey: typeof apiKey === 'string' ? apiKey : undefined,
        prompt,
        request,
      };
      calls.push(call);
      const reply = options.reply(call);
      return typeof reply === 'string' ? geminiAnswer(reply) : reply;
    },
  });
  return { ...server, calls };
}
