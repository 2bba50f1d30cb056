import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  STATUS_CODES,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';
import {
  type AwsClientOptions,
  CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './aws-client-config.js';
import { type Credentials, environmentCredentials } from './aws-credentials.js';
import { backoffDelayMs, isRetryable } from './aws-retry.js';

/**
 * A small AWS client for the few operations the workers send: RPC-style JSON 1.0/1.1 (DynamoDB, SQS,
 * Transcribe), REST-JSON (Bedrock Runtime), SNS's Query protocol (form in, XML out) and S3's REST-XML
 * object calls (GET/PUT/HEAD): SigV4-signed (`aws4`) requests over Node's HTTPS agent, with the SDK's
 * enforced timeouts and its standard retry behaviour (see `aws-retry.ts`).
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
export interface AwsService {
  /** Name in traces and errors, e.g. `DynamoDB`. */
  readonly name: string;
  /** SigV4 signing name, e.g. `dynamodb` (`bedrock` for Bedrock Runtime). */
  readonly signingName: string;
  /** Endpoint host prefix when it differs from the signing name (`bedrock-runtime`). */
  readonly endpointPrefix?: string;
  /** `X-Amz-Target` prefix of an RPC-style service (`DynamoDB_20120810.`); REST-JSON services have none. */
  readonly targetPrefix?: string;
  /** Request content type: `application/x-amz-json-1.0` (default), `-1.1`, or `application/json` (REST-JSON). */
  readonly contentType?: string;
  /** How error answers are written: JSON (default) or XML (SNS's Query protocol, S3). */
  readonly errorFormat?: 'json' | 'xml';
  /** The SDK's service-specific endpoint variable suffix: `AWS_ENDPOINT_URL_<envName>`. */
  readonly envName: string;
}

export const DYNAMODB: AwsService = {
  name: 'DynamoDB',
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810.',
  envName: 'DYNAMODB',
};

export const SQS: AwsService = {
  name: 'SQS',
  signingName: 'sqs',
  targetPrefix: 'AmazonSQS.',
  envName: 'SQS',
};

/** SNS speaks only the Query protocol: a form-encoded POST answered in XML. */
export const SNS: AwsService = {
  name: 'SNS',
  signingName: 'sns',
  contentType: 'application/x-www-form-urlencoded; charset=utf-8',
  errorFormat: 'xml',
  envName: 'SNS',
};

export const BEDROCK_RUNTIME: AwsService = {
  name: 'BedrockRuntime',
  signingName: 'bedrock',
  endpointPrefix: 'bedrock-runtime',
  contentType: 'application/json',
  envName: 'BEDROCK_RUNTIME',
};

/** S3 objects: REST calls answered in XML (errors) or raw bytes (objects). */
export const S3: AwsService = {
  name: 'S3',
  signingName: 's3',
  errorFormat: 'xml',
  envName: 'S3',
};

/** Amazon Transcribe's batch API: RPC-style JSON 1.1. */
export const TRANSCRIBE: AwsService = {
  name: 'Transcribe',
  signingName: 'transcribe',
  targetPrefix: 'Transcribe.',
  contentType: 'application/x-amz-json-1.1',
  envName: 'TRANSCRIBE',
};

/** One call: the operation's path (already URI-encoded; `/` for RPC services) and its body. */
export interface RestCall {
  /** Default `POST`. */
  readonly method?: 'GET' | 'PUT' | 'POST' | 'HEAD';
  readonly path: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Prepended to the endpoint's host, as S3's virtual-hosted addressing puts the bucket there (`<bucket>.`). */
  readonly hostPrefix?: string;
}

/** A successful answer: its headers and raw body (what S3 objects need). */
export interface RawAnswer {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The shared options without `capture`, which `createAwsClient` applies. */
export type AwsHttpClientOptions = Omit<AwsClientOptions, 'capture'>;

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

/** The regional endpoint, unless overridden the way the SDK allows (`endpoint`, then the env variables). */
export function serviceEndpoint(
  service: AwsService,
  region: string,
  endpoint?: string,
  env: NodeJS.ProcessEnv = process.env,
): URL {
  const configured = endpoint ?? env[`AWS_ENDPOINT_URL_${service.envName}`] ?? env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  const dnsSuffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service.endpointPrefix ?? service.signingName}.${region}.${dnsSuffix}`);
}

/**
 * `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` -> `ConditionalCheckFailedException`.
 * An answer that names no error (a HEAD has no body) is named after its status, as the SDK's XML
 * clients do (`NotFound`, `Forbidden`); a JSON one is `InternalServerError` or `HttpError<status>`.
 */
function errorName(type: unknown, statusCode: number, format: 'json' | 'xml'): string {
  if (typeof type === 'string' && type !== '') return type.slice(type.lastIndexOf('#') + 1);
  const statusName = STATUS_CODES[statusCode]?.replace(/[^A-Za-z]/g, '');
  if (format === 'xml' && statusName) return statusName;
  return statusCode >= 500 ? 'InternalServerError' : `HttpError${statusCode}`;
}

export class AwsHttpClient {
  readonly region: string;
  private readonly endpoint: URL;
  private readonly maxAttempts: number;
  private readonly requestTimeoutMs: number;
  private readonly credentials: () => Credentials;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly observers: ((call: AwsCall) => void)[] = [];

  constructor(
    readonly service: AwsService,
    options: AwsHttpClientOptions = {},
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

  /** Sends one RPC operation (`GetItem`, `SendMessage`, ...) with its wire-format input; returns the parsed answer. */
  async send<T = Record<string, unknown>>(operation: string, input: object): Promise<T> {
    const { body } = await this.request(operation, { path: '/', body: JSON.stringify(input) });
    return (parseJson(body.toString('utf8')) ?? {}) as T;
  }

  /** Sends one REST-JSON operation (Bedrock's `POST /model/{id}/converse`); returns the answer body as text. */
  async sendRest(operation: string, call: RestCall): Promise<string> {
    return (await this.request(operation, call)).body.toString('utf8');
  }

  /** Sends one REST call of any method (S3's `GET /<key>`); returns the answer's headers and raw body. */
  async request(operation: string, call: RestCall): Promise<RawAnswer> {
    const start = Date.now();
    try {
      const { headers, body, metadata } = await this.sendWithRetries(operation, call);
      this.notify({ operation, start, metadata });
      return { headers, body };
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
    call: RestCall,
  ): Promise<RawAnswer & { metadata: ResponseMetadata }> {
    let totalRetryDelay = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.attempt(operation, call);
        return { ...answer, metadata: { ...answer.metadata, attempts: attempt, totalRetryDelay } };
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
    call: RestCall,
  ): Promise<RawAnswer & { metadata: ResponseMetadata }> {
    const url = this.endpoint;
    const { body } = call;
    const method = call.method ?? 'POST';
    const hostPrefix = call.hostPrefix ?? '';
    const host = `${hostPrefix}${url.host}`;
    const path = `${url.pathname.replace(/\/+$/, '')}${call.path}`;
    const target = this.service.targetPrefix;
    const traceHeader = process.env.AWS_LAMBDA_FUNCTION_NAME ? process.env._X_AMZN_TRACE_ID : undefined;
    // Signed per attempt: a retry must carry a fresh date.
    const signed = aws4.sign(
      {
        service: this.service.signingName,
        region: this.region,
        method,
        protocol: url.protocol,
        host,
        path,
        headers: {
          ...(method === 'POST'
            ? { 'content-type': this.service.contentType ?? 'application/x-amz-json-1.0' }
            : {}),
          ...(target ? { 'x-amz-target': `${target}${operation}` } : {}),
          ...call.headers,
          // Joins the calls to the invocation's trace, as the SDK's recursion-detection middleware does.
          ...(traceHeader ? { 'x-amzn-trace-id': traceHeader } : {}),
        },
        body,
      },
      this.credentials(),
    );
    const response = await this.exchange(
      url,
      method,
      `${hostPrefix}${url.hostname}`,
      path,
      signed.headers as Record<string, string>,
      body,
    );
    const { statusCode, headers } = response;
    // JSON services answer `x-amzn-requestid`; S3 answers `x-amz-request-id`.
    const requestId = headers['x-amzn-requestid'] ?? headers['x-amz-request-id'];
    const metadata: ResponseMetadata = {
      httpStatusCode: statusCode,
      ...(typeof requestId === 'string' ? { requestId } : {}),
    };
    if (statusCode >= 200 && statusCode < 300) return { headers, body: response.body, metadata };
    const text = response.body.toString('utf8');
    const format = this.service.errorFormat ?? 'json';
    const fields = (
      format === 'xml'
        ? { __type: xmlField(text, 'Code'), message: xmlField(text, 'Message') }
        : (parseJson(text) ?? {})
    ) as { __type?: unknown; message?: unknown; Message?: unknown };
    const message = fields.message ?? fields.Message;
    const errorType = headers['x-amzn-errortype'];
    throw new AwsServiceError(
      // RPC services name the error in the body; REST-JSON ones (Bedrock) in `x-amzn-errortype`.
      errorName(
        fields.__type ?? (typeof errorType === 'string' ? errorType.split(':')[0] : undefined),
        statusCode,
        format,
      ),
      typeof message === 'string' && message !== ''
        ? message
        : `${this.service.name} answered HTTP ${statusCode}`,
      { fault: statusCode >= 500 ? 'server' : 'client', metadata },
    );
  }

  /** One HTTP exchange with the connection and request timeouts enforced (a hung call must not hold the function). */
  private exchange(
    url: URL,
    method: string,
    hostname: string,
    path: string,
    headers: Record<string, string>,
    body: string | Buffer,
  ): Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        {
          protocol: url.protocol,
          // The signed host (S3's `<bucket>.s3...`) is the one connected to, so TLS checks that name.
          hostname,
          port: url.port || undefined,
          path,
          method,
          headers,
          agent: this.agent,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(timer);
            resolve({
              statusCode: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
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

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The text of the first `<name>` element of an AWS XML answer (`Code`, `Message`, `MessageId`), entities
 * decoded. AWS writes these as plain text elements, so this needs no XML parser.
 */
export function xmlField(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1]?.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) =>
    entity.startsWith('#x')
      ? String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
      : entity.startsWith('#')
        ? String.fromCodePoint(Number(entity.slice(1)))
        : XML_ENTITIES[entity]!,
  );
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A client for `service` with the shared AWS options; `capture` instruments it (e.g. `traceAwsCalls`). */
export function createAwsClient(service: AwsService, options: AwsClientOptions = {}): AwsHttpClient {
  const { capture, ...clientOptions } = options;
  const client = new AwsHttpClient(service, clientOptions);
  return capture ? capture(client) : client;
}
