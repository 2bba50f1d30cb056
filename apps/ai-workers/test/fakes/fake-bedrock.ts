import {
  type FakeHttpServer,
  type FakeResponse,
  type RecordedRequest,
  startFakeHttpServer,
} from './fake-http-server.js';

/** The JSON body the SDK sends to `POST /model/<modelId>/converse` (the fields the workers use). */
interface ConverseRequestBody {
  readonly system?: readonly { readonly text?: string }[];
  readonly messages: readonly {
    readonly role: 'user' | 'assistant';
    readonly content: readonly { readonly text?: string }[];
  }[];
  readonly inferenceConfig?: { readonly maxTokens?: number; readonly temperature?: number };
}

/** One Converse call as the fake saw it. */
export interface ConverseCall {
  /** 0 for the first Converse call the server received, 1 for the next, ... */
  readonly index: number;
  readonly modelId: string;
  readonly body: ConverseRequestBody;
  readonly request: RecordedRequest;
}

/** A model answer (text, wrapped in Bedrock's response shape) or a raw HTTP response (errors). */
export type ConverseReply = string | FakeResponse;

/** InvokeModel (`POST /model/<modelId>/invoke`), e.g. Titan embeddings. */
export interface InvokeCall {
  readonly modelId: string;
  readonly body: unknown;
  readonly request: RecordedRequest;
}

export interface FakeBedrockOptions {
  /** A script (the n-th call gets the n-th reply; extra calls get a 500) or a function of the call. */
  readonly converse?:
    | readonly ConverseReply[]
    | ((call: ConverseCall) => ConverseReply | Promise<ConverseReply>);
  readonly invoke?: (call: InvokeCall) => FakeResponse | Promise<FakeResponse>;
}

export interface FakeBedrock extends FakeHttpServer {
  /** Converse calls received so far, throttled ones included. */
  readonly converseCalls: ConverseCall[];
  readonly invokeCalls: InvokeCall[];
}

/** Bedrock's throttling answer: the SDK retries it (adaptive mode) as a throttling error. */
export const THROTTLED: FakeResponse = {
  status: 429,
  headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
  body: { message: 'Too many requests, please wait before trying again.' },
};

/** A Converse response with the recorded shape of a real answer. */
export function converseAnswer(
  text: string,
  options: { inputTokens?: number; outputTokens?: number; stopReason?: string } = {},
): FakeResponse {
  const inputTokens = options.inputTokens ?? 1200;
  const outputTokens = options.outputTokens ?? Math.max(1, Math.ceil(text.length / 4));
  return {
    status: 200,
    body: {
      metrics: { latencyMs: 850 },
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: options.stopReason ?? 'end_turn',
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    },
  };
}

/**
 * A fake Bedrock Runtime on loopback. Point `createBedrockRuntimeClient({ endpoint: fake.url })` at it:
 * the real SDK serializes, signs and retries, so request shapes and retry behaviour are tested for real.
 */
export async function startFakeBedrock(options: FakeBedrockOptions): Promise<FakeBedrock> {
  const converseCalls: ConverseCall[] = [];
  const invokeCalls: InvokeCall[] = [];
  const script = Array.isArray(options.converse)
    ? [...(options.converse as readonly ConverseReply[])]
    : undefined;
  const converseFn = typeof options.converse === 'function' ? options.converse : undefined;

  const server = await startFakeHttpServer({
    'POST /model/([^/]+)/converse': async (request, match) => {
      const call: ConverseCall = {
        index: converseCalls.length,
        modelId: match[1] ?? '',
        body: request.json<ConverseRequestBody>(),
        request,
      };
      converseCalls.push(call);
      let reply: ConverseReply | undefined;
      if (converseFn) reply = await converseFn(call);
      else if (script) reply = script.shift();
      if (reply === undefined) {
        return {
          status: 500,
          body: { message: `fake Bedrock has no scripted reply for Converse call #${call.index}` },
        };
      }
      return typeof reply === 'string' ? converseAnswer(reply) : reply;
    },
    'POST /model/([^/]+)/invoke': async (request, match) => {
      const call: InvokeCall = { modelId: match[1] ?? '', body: request.json(), request };
      invokeCalls.push(call);
      if (!options.invoke) return { status: 500, body: { message: 'fake Bedrock has no InvokeModel route' } };
      return options.invoke(call);
    },
  });
  return { ...server, converseCalls, invokeCalls };
}

/** Fake credentials for SDK clients aimed at the fakes (signing still runs for real). */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIDFAKEFORTESTS',
  secretAccessKey: 'fake-secret-for-tests',
} as const;
