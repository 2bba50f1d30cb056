import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';
import type { AwsClientOptions } from './aws-client-config.js';
import { type Credentials, environmentCredentials } from './aws-credentials.js';
import { backoffDelayMs, isRetryable } from './aws-retry.js';

/**
 * A client for AWS's JSON 1.0 wire protocol (DynamoDB, SQS): SigV4-signed (`aws4`) POSTs over Node's
 * HTTPS agent, with the SDK's enforced timeouts and its standard retry behaviour (see `aws-retry.ts`).
 *
 * Why not the SDK's generated clients: a function's cold start pays for each whole client (the
 * DynamoDB one is about 200 KiB of protocol, schema, endpoint-rule and credential-chain code, ~60 ms
 * on the bench machine) although the workers only ever send a handful of operations; this client is a
 * few KiB and shares nothing with the SDK, so a function that loads an SDK client only on some
 * invocations (S3 for a large result) does not pay for the SDK's runtime at every cold start either.
 * Errors look like the SDK's (`name`, `$fault`, `$metadata`), so callers' classification
 * (`ConditionalCheckFailedException`, throttling, 5xx, timeouts) is unchanged.
 *
 * Not supported, because nothing here needs them: FIPS/dual-stack endpoints, endpoint discovery,
 * clock-skew correction (Lambda clocks are NTP-synced), credentials other than the environment
 * variables Lambda sets, unless `credentials` is passed.
 */
export interface AwsJsonService {
  /** Name in traces and errors, e.g. `DynamoDB`. */
  readonly name: string;
  /** SigV4 signing name and endpoint prefix, e.g. `dynamodb`. */
  readonly signingName: string;
  /** `X-Amz-Target` prefix, e.g. `DynamoDB_20120810.`. */
  readonly targetPrefix: string;
  /** The SDK's service-specific endpoint variable suffix: `AWS_ENDPOINT_URL_<envName>`. */
  readonly envName: string;
}

export const DYNAMODB: AwsJsonService = {
  name: 'DynamoDB',
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810.',
  envName: 'DYNAMODB',
};

export const SQS: AwsJsonService = {
  name: 'SQS',
  signingName: 'sqs',
  targetPrefix: 'AmazonSQS.',
  envName: 'SQS',
};

export interface AwsJsonClientOptions extends Omit<AwsClientOptions, 'capture'> {
  /** Default: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, read per request. */
  readonly credentials?: Credentials;
}

/** What an observer (e.g. X-Ray tracing) learns about one finished call, retries included. */
export interface AwsCall {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly start: number;
  readonly end: number;
  readonly metadata: ResponseMetadata;
  readonly error?: AwsServiceError;
}

export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** A failed call, shaped like an SDK v3 service exception. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;
  /** Node network error code (`ECONNRESET`, ...) when the request never got an answer. */
  readonly code?: string;
  declare readonly cause?: Error;

  constructor(
    name: string,
    message: string,
    details: { fault: 'client' | 'server'; metadata: ResponseMetadata; code?: string; cause?: Error },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = name;
    this.$fault = details.fault;
    this.$metadata = details.metadata;
    if (details.code !== undefined) this.code = details.code;
  }
}

/** Connecting to an AWS endpoint takes milliseconds; seconds mean a network fault. */
const CONNECTION_TIMEOUT_MS = 3_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The regional endpoint, unless overridden the way the SDK allows (`endpoint`, then the env variables). */
export function serviceEndpoint(
  service: AwsJsonService,
  region: string,
  endpoint?: string,
  env: NodeJS.ProcessEnv = process.env,
): URL {
  const configured = endpoint ?? env[`AWS_ENDPOINT_URL_${service.envName}`] ?? env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  const dnsSuffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service.signingName}.${region}.${dnsSuffix}`);
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` -> `ConditionalCheckFailedException`. */
function errorName(type: unknown, statusCode: number): string {
  if (typeof type === 'string' && type !== '') return type.slice(type.lastIndexOf('#') + 1);
  return statusCode >= 500 ? 'InternalServerError' : `HttpError${statusCode}`;
}

export class AwsJsonClient {
  readonly region: string;
  private readonly endpoint: URL;
  private readonly maxAttempts: number;
  private readonly requestTimeoutMs: number;
  private readonly credentials: () => Credentials;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly observers: ((call: AwsCall) => void)[] = [];

  constructor(
    readonly service: AwsJsonService,
    options: AwsJsonClientOptions = {},
  ) {
    const region = options.region ?? process.env.AWS_REGION;
    if (!region)
      throw new Error(`AWS_REGION is not set and no region was given to the ${service.name} client`);
    this.region = region;
    this.endpoint = serviceEndpoint(service, region, options.endpoint);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const fixed = options.credentials;
    this.credentials = fixed ? () => fixed : () => environmentCredentials();
    // Keep-alive: a warm function reuses its TLS connection instead of a handshake per call.
    const agentOptions = { keepAlive: true, maxSockets: 50 };
    this.agent =
      this.endpoint.protocol === 'http:' ? new HttpAgent(agentOptions) : new HttpsAgent(agentOptions);
  }

  /** Calls `observer` after every call (success or failure), e.g. to record a trace subsegment. */
  addCallObserver(observer: (call: AwsCall) => void): void {
    this.observers.push(observer);
  }

  /** Sends one operation (`GetItem`, `UpdateItem`, ...) with its wire-format input; returns the parsed answer. */
  async send<T = Record<string, unknown>>(operation: string, input: object): Promise<T> {
    const start = Date.now();
    try {
      const { output, metadata } = await this.sendWithRetries(operation, JSON.stringify(input));
      this.notify({ operation, start, metadata });
      return output as T;
    } catch (error) {
      const failure = asServiceError(error);
      this.notify({ operation, start, metadata: failure.$metadata, error: failure });
      throw failure;
    }
  }

  destroy(): void {
    this.agent.destroy();
  }

  private notify(call: Pick<AwsCall, 'operation' | 'start' | 'metadata' | 'error'>): void {
    for (const observer of this.observers) {
      observer({ service: this.service.name, region: this.region, end: Date.now(), ...call });
    }
  }

  private async sendWithRetries(
    operation: string,
    body: string,
  ): Promise<{ output: unknown; metadata: ResponseMetadata }> {
    let totalRetryDelay = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.attempt(operation, body);
        return {
          output: answer.output,
          metadata: { ...answer.metadata, attempts: attempt, totalRetryDelay },
        };
      } catch (error) {
        const failure = asServiceError(error);
        Object.assign(failure.$metadata, { attempts: attempt, totalRetryDelay });
        if (attempt >= this.maxAttempts || !isRetryable(failure)) throw failure;
        const delay = backoffDelayMs(failure, attempt);
        totalRetryDelay += delay;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async attempt(
    operation: string,
    body: string,
  ): Promise<{ output: unknown; metadata: ResponseMetadata }> {
    const url = this.endpoint;
    const traceHeader = process.env.AWS_LAMBDA_FUNCTION_NAME ? process.env._X_AMZN_TRACE_ID : undefined;
    // Signed per attempt: a retry must carry a fresh date.
    const signed = aws4.sign(
      {
        service: this.service.signingName,
        region: this.region,
        method: 'POST',
        protocol: url.protocol,
        host: url.host,
        path: url.pathname || '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `${this.service.targetPrefix}${operation}`,
          // Joins the calls to the invocation's trace, as the SDK's recursion-detection middleware does.
          ...(traceHeader ? { 'x-amzn-trace-id': traceHeader } : {}),
        },
        body,
      },
      this.credentials(),
    );
    const response = await this.post(url, signed.headers as Record<string, string>, body);
    const metadata: ResponseMetadata = {
      httpStatusCode: response.statusCode,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
    const parsed = parseJson(response.text);
    if (response.statusCode >= 200 && response.statusCode < 300) return { output: parsed ?? {}, metadata };
    const fields = (parsed ?? {}) as { __type?: unknown; message?: unknown; Message?: unknown };
    const message = fields.message ?? fields.Message;
    throw new AwsServiceError(
      errorName(fields.__type, response.statusCode),
      typeof message === 'string' && message !== ''
        ? message
        : `${this.service.name} answered HTTP ${response.statusCode}`,
      { fault: response.statusCode >= 500 ? 'server' : 'client', metadata },
    );
  }

  /** One HTTP exchange with the connection and request timeouts enforced (a hung call must not hold the function). */
  private post(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ statusCode: number; requestId?: string; text: string }> {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || undefined,
          path: url.pathname || '/',
          method: 'POST',
          headers,
          agent: this.agent,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(timer);
            const requestId = response.headers['x-amzn-requestid'];
            resolve({
              statusCode: response.statusCode ?? 0,
              ...(typeof requestId === 'string' ? { requestId } : {}),
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      const fail = (name: string, message: string) => {
        const error = Object.assign(new Error(message), { name });
        request.destroy(error);
      };
      const timer = setTimeout(
        () => fail('TimeoutError', `${this.service.name} did not answer within ${this.requestTimeoutMs} ms`),
        this.requestTimeoutMs,
      );
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connecting = setTimeout(
          () =>
            fail(
              'TimeoutError',
              `Could not connect to ${this.service.name} within ${CONNECTION_TIMEOUT_MS} ms`,
            ),
          CONNECTION_TIMEOUT_MS,
        );
        socket.once('connect', () => clearTimeout(connecting));
        socket.once('close', () => clearTimeout(connecting));
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }
}

/** A network or timeout failure (no HTTP answer) becomes an AwsServiceError that keeps its code and cause. */
function asServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  const source = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  const name = typeof source.name === 'string' ? source.name : 'Error';
  const code = typeof source.code === 'string' ? source.code : undefined;
  return new AwsServiceError(name, typeof source.message === 'string' ? source.message : String(error), {
    fault: 'client',
    metadata: {},
    ...(code !== undefined ? { code } : {}),
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
