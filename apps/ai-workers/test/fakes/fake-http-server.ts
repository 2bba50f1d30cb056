import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received, kept so tests can assert on what the real SDK client sent. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The path as it came over the wire, still URI-encoded. */
  readonly rawPath: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  json<T = unknown>(): T;
}

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Objects are sent as JSON; Buffers and strings as they are. */
  readonly body?: unknown;
  /** Delay before answering (latency simulation for benchmarks). */
  readonly delayMs?: number;
}

export type Route = (
  request: RecordedRequest,
  match: RegExpExecArray,
) => FakeResponse | Promise<FakeResponse>;

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`: point an SDK client's `endpoint` here. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on loopback that answers from a route table (`"POST /model/(.+)/converse"`
 * style keys, matched as regular expressions against `METHOD path`). Unmatched requests get a 404
 * so a wrong request shape fails the test loudly.
 */
export async function startFakeHttpServer(routes: Readonly<Record<string, Route>>): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const compiled = Object.entries(routes).map(([key, route]) => ({ pattern: new RegExp(`^${key}$`), route }));

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const path = decodeURIComponent(rawPath);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      rawPath,
      headers: req.headers,
      body,
      json: <T>() => JSON.parse(body) as T,
    };
    requests.push(recorded);
    const target = `${recorded.method} ${path}`;
    for (const { pattern, route } of compiled) {
      const match = pattern.exec(target);
      if (!match) continue;
      try {
        const answer = await route(recorded, match);
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        const payload =
          answer.body === undefined
            ? ''
            : Buffer.isBuffer(answer.body) || typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(payload);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake route threw: ${(error as Error).message}` }));
      }
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `no fake route for ${target}` }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Do not wait for replies a test deliberately holds back (timeouts).
        server.closeAllConnections();
      }),
  };
}
