import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/**
 * One X-Ray subsegment per AWS SDK call (service, operation, region, request id, retries, HTTP status,
 * error/throttle/fault), sent to the Lambda X-Ray daemon over UDP: what the X-Ray SDK's
 * `captureAWSv3Client` records, without loading the X-Ray SDK (and its cls-hooked, semver and
 * context machinery) into every cold start. Lambda active tracing supplies the trace: the runtime
 * sets `_X_AMZN_TRACE_ID` (root, the function segment as parent, the sampling decision) for each
 * invocation, and the SDK's own recursion-detection middleware already forwards it to the services
 * called, so downstream segments join the same trace.
 *
 * Nothing is sent when the invocation is not sampled or outside Lambda (no trace header).
 */

const DEFAULT_DAEMON = { host: '127.0.0.1', port: 2000 };
const HEADER = '{"format":"json","version":1}\n';

export interface TraceContext {
  readonly traceId: string;
  readonly parentId: string;
}

/** The sampled trace of the current invocation, from Lambda's `Root=...;Parent=...;Sampled=1` header. */
export function currentTraceContext(header = process.env._X_AMZN_TRACE_ID): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const traceId = fields.get('Root');
  const parentId = fields.get('Parent');
  if (fields.get('Sampled') !== '1' || !traceId || !parentId) return undefined;
  return { traceId, parentId };
}

/** `AWS_XRAY_DAEMON_ADDRESS`: `host:port`, or Lambda's `udp:host:port tcp:host:port` form. */
export function daemonAddress(value = process.env.AWS_XRAY_DAEMON_ADDRESS): { host: string; port: number } {
  if (!value) return DEFAULT_DAEMON;
  const udp = value.split(/\s+/).find((part) => part.startsWith('udp:')) ?? value;
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp);
  return match ? { host: match[1]!, port: Number(match[2]) } : DEFAULT_DAEMON;
}

let socket: Socket | undefined;

function send(document: object): void {
  const { host, port } = daemonAddress();
  socket ??= createSocket('udp4').unref();
  // Fire and forget, like the X-Ray SDK: a lost datagram costs a subsegment, never a request.
  socket.send(HEADER + JSON.stringify(document), port, host, () => undefined);
}

interface CallMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: CallMetadata;
  readonly $retryable?: { readonly throttling?: boolean };
}

/** The subsegment document of one finished call (exported for tests). */
function callSubsegment(input: {
  readonly trace: TraceContext;
  readonly service: string;
  readonly operation: string;
  readonly region: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly metadata: CallMetadata | undefined;
  readonly error?: SdkError;
}): Record<string, unknown> {
  const { trace, metadata, error } = input;
  const status = metadata?.httpStatusCode;
  const throttled = status === 429 || error?.$retryable?.throttling === true;
  const fault = error !== undefined && (error.$fault === 'server' || (status !== undefined && status >= 500));
  return {
    id: randomBytes(8).toString('hex'),
    trace_id: trace.traceId,
    parent_id: trace.parentId,
    type: 'subsegment',
    name: input.service,
    namespace: 'aws',
    start_time: input.start / 1000,
    end_time: input.end / 1000,
    aws: {
      operation: input.operation,
      ...(input.region ? { region: input.region } : {}),
      ...(metadata?.requestId ? { request_id: metadata.requestId } : {}),
      retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
    },
    ...(status !== undefined ? { http: { response: { status } } } : {}),
    ...(error !== undefined && !fault ? { error: true } : {}),
    ...(fault ? { fault: true } : {}),
    ...(throttled ? { throttle: true } : {}),
    ...(error !== undefined
      ? { cause: { exceptions: [{ type: error.name ?? 'Error', message: error.message ?? '' }] } }
      : {}),
  };
}

/** A client that reports its calls itself (no SDK middleware stack). */
interface ObservableClient {
  addCallObserver(
    observer: (call: {
      readonly service: string;
      readonly operation: string;
      readonly region: string;
      readonly start: number;
      readonly end: number;
      readonly metadata: CallMetadata;
      readonly error?: SdkError;
    }) => void,
  ): void;
}

function isObservable(client: unknown): client is ObservableClient {
  return typeof (client as Partial<ObservableClient> | undefined)?.addCallObserver === 'function';
}

/** The part of an SDK v3 client this needs (every `@aws-sdk/client-*` client has it). */
interface TraceableClient {
  readonly config: { readonly region?: unknown };
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output?: { $metadata?: CallMetadata } }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/**
 * Adds the per-call subsegment middleware to an SDK v3 client and returns it. It wraps the whole call
 * (retries included, as the X-Ray SDK does), so its times are what the caller waited.
 */
export function traceAwsCalls<C>(client: C): C {
  if (isObservable(client)) {
    // The light DynamoDB client (clients/aws-http-client.ts) reports each finished call instead.
    client.addCallObserver((call) => {
      const trace = currentTraceContext();
      if (trace) send(callSubsegment({ trace, ...call }));
    });
    return client;
  }
  const traceable = client as unknown as TraceableClient;
  traceable.middlewareStack.add(
    (next, context) => async (args) => {
      const trace = currentTraceContext();
      if (!trace) return next(args);
      const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const region = await resolveRegion(traceable.config.region);
      const start = Date.now();
      try {
        const result = await next(args);
        send(
          callSubsegment({
            trace,
            service,
            operation,
            region,
            start,
            end: Date.now(),
            metadata: result.output?.$metadata,
          }),
        );
        return result;
      } catch (error) {
        const sdkError = (error ?? {}) as SdkError;
        send(
          callSubsegment({
            trace,
            service,
            operation,
            region,
            start,
            end: Date.now(),
            metadata: sdkError.$metadata,
            error: sdkError,
          }),
        );
        throw error;
      }
    },
    { step: 'initialize', name: 'bandupXRaySubsegment', override: true },
  );
  return client;
}

/** Resolved client config holds the region as a provider function. */
async function resolveRegion(region: unknown): Promise<string | undefined> {
  try {
    const value = typeof region === 'function' ? await (region as () => Promise<unknown>)() : region;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
