import { createHash } from 'node:crypto';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from './fake-http-server.js';

/** An object as the fake stores it. */
interface FakeS3Object {
  readonly body: Buffer;
  readonly contentType: string;
  /** User metadata without the `x-amz-meta-` prefix. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface FakeS3 extends FakeHttpServer {
  /** Objects by `<bucket>/<key>`. */
  readonly objects: Map<string, FakeS3Object>;
  put(bucket: string, key: string, object: FakeS3Object): void;
  get(bucket: string, key: string): FakeS3Object | undefined;
}

function notFound(code: 'NoSuchKey' | 'NoSuchBucket', resource: string): FakeResponse {
  return {
    status: 404,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>The specified key does not exist.</Message><Resource>${resource}</Resource></Error>`,
  };
}

/** Decodes an `aws-chunked` body (what the SDK sends for streamed uploads with trailing checksums). */
function decodeAwsChunked(raw: string): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd === -1) break;
    const size = Number.parseInt(rest.slice(0, lineEnd).split(';')[0] ?? '0', 16);
    if (!size) break;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
  return out;
}

/**
 * An in-memory S3 on loopback for HeadObject, GetObject (honouring If-Match) and PutObject with path-style addressing
 * (`/<bucket>/<key>`). Use an S3 client with `forcePathStyle: true` and `endpoint: fake.url`.
 * PUT bodies are read as UTF-8 text (JSON documents); seed binary objects with `put()`.
 */
export async function startFakeS3(): Promise<FakeS3> {
  const objects = new Map<string, FakeS3Object>();
  const headersOf = (object: FakeS3Object) => ({
    'content-type': object.contentType,
    'content-length': String(object.body.length),
    etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
    'last-modified': new Date(0).toUTCString(),
    ...Object.fromEntries(Object.entries(object.metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k}`, v])),
  });

  const server = await startFakeHttpServer({
    'HEAD /([^/]+)/(.+)': (_request, match) => {
      const object = objects.get(`${match[1]}/${match[2]}`);
      return object ? { status: 200, headers: headersOf(object) } : { status: 404 };
    },
    'GET /([^/]+)/(.+)': (request, match) => {
      const object = objects.get(`${match[1]}/${match[2]}`);
      if (!object) return notFound('NoSuchKey', `/${match[1]}/${match[2]}`);
      const ifMatch = request.headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== headersOf(object).etag) {
        return {
          status: 412,
          headers: { 'content-type': 'application/xml' },
          body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>',
        };
      }
      return { status: 200, headers: headersOf(object), body: object.body };
    },
    'PUT /([^/]+)/(.+)': (request, match) => {
      const encoding = String(request.headers['content-encoding'] ?? '');
      const text = encoding.includes('aws-chunked') ? decodeAwsChunked(request.body) : request.body;
      const metadata = Object.fromEntries(
        Object.entries(request.headers)
          .filter(([name]) => name.startsWith('x-amz-meta-'))
          .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
      );
      const object: FakeS3Object = {
        body: Buffer.from(text, 'utf8'),
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        metadata,
      };
      objects.set(`${match[1]}/${match[2]}`, object);
      return { status: 200, headers: { etag: headersOf(object).etag } };
    },
  });

  return {
    ...server,
    objects,
    put: (bucket, key, object) => objects.set(`${bucket}/${key}`, object),
    get: (bucket, key) => objects.get(`${bucket}/${key}`),
  };
}
