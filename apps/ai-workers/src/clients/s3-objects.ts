import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsHttpClient, createAwsClient, type RawAnswer, S3 } from './aws-http-client.js';
import { isS3ObjectNotFound } from './s3-not-found.js';

/** What `HeadObject` tells about an object. */
export interface S3ObjectHead {
  /** As stored, e.g. `application/pdf` (may carry parameters: `text/plain; charset=utf-8`). */
  readonly contentType?: string;
  readonly contentLength: number;
  /** Quoted, as S3 sends it: pass it back as `ifMatch` to read exactly this version. */
  readonly eTag?: string;
}

/** An object read whole (the workers' objects are a few MB at most). */
export interface S3Object extends S3ObjectHead {
  readonly body: Buffer;
}

export interface S3ObjectsOptions extends AwsClientOptions {
  /** Path-style addressing: needed for loopback endpoints, where `<bucket>.127.0.0.1` cannot resolve. */
  readonly forcePathStyle?: boolean;
}

/** RFC 3986 encoding of one key segment, as S3's SigV4 canonical URI expects (`/` kept as a separator). */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/**
 * A bucket name that can be a DNS label of a virtual-hosted address: S3's rules (3-63 lower-case
 * letters, digits and hyphens) without dots, since a dotted name breaks the `*.s3` TLS certificate.
 */
function isVirtualHostable(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
}

/**
 * The three object calls the workers make (HeadObject, GetObject, PutObject) over the light AWS client
 * instead of the SDK's S3 client, whose ~350 KiB (XML protocol, checksums, endpoint rules, the
 * credential chain) cost the functions that touch S3 on every invocation ~70 ms of cold start. Errors
 * keep the SDK's names (`NoSuchKey`, `NotFound` for a HEAD, `PreconditionFailed`) and `$metadata`, so
 * `isS3ObjectNotFound` and the retry rules (`SlowDown`, 5xx) apply unchanged.
 *
 * No SSE header is sent on writes: the bucket's default encryption (SSE-KMS with the data stack's key)
 * applies, whereas `aws:kms` without a key id would select the AWS managed `aws/s3` key instead.
 */
export class S3Objects {
  constructor(
    private readonly client: AwsHttpClient,
    private readonly options: { readonly forcePathStyle: boolean },
  ) {}

  async head(bucket: string, key: string): Promise<S3ObjectHead> {
    return headOf(
      await this.client.request('HeadObject', { method: 'HEAD', ...this.address(bucket, key), body: '' }),
    );
  }

  /** `ifMatch`: fail with `PreconditionFailed` (412) unless the object still has this ETag. */
  async get(bucket: string, key: string, conditions: { readonly ifMatch?: string } = {}): Promise<S3Object> {
    const answer = await this.client.request('GetObject', {
      method: 'GET',
      ...this.address(bucket, key),
      body: '',
      ...(conditions.ifMatch ? { headers: { 'if-match': conditions.ifMatch } } : {}),
    });
    return { ...headOf(answer), body: answer.body };
  }

  /** Reads an object as UTF-8 text (JSON documents). */
  async getText(bucket: string, key: string): Promise<string> {
    return (await this.get(bucket, key)).body.toString('utf8');
  }

  async put(bucket: string, key: string, body: string | Buffer, contentType: string): Promise<void> {
    await this.client.request('PutObject', {
      method: 'PUT',
      ...this.address(bucket, key),
      body,
      headers: { 'content-type': contentType },
    });
  }

  /**
   * Whether an object exists (`HeadObject`); any other error is thrown for the caller to classify. A
   * HEAD answer has no body, so a missing bucket also reads as "no object" here.
   */
  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.head(bucket, key);
      return true;
    } catch (error) {
      if (isS3ObjectNotFound(error)) return false;
      throw error;
    }
  }

  /** Closes the kept-alive connections (tests, scripts). */
  destroy(): void {
    this.client.destroy();
  }

  /** Virtual-hosted (`<bucket>.s3.<region>.amazonaws.com/<key>`) unless path style is forced or needed. */
  private address(bucket: string, key: string): { path: string; hostPrefix?: string } {
    if (this.options.forcePathStyle || !isVirtualHostable(bucket)) {
      return { path: `/${encodeURIComponent(bucket)}/${encodeKey(key)}` };
    }
    return { path: `/${encodeKey(key)}`, hostPrefix: `${bucket}.` };
  }
}

function headOf(answer: RawAnswer): S3ObjectHead {
  const { 'content-type': contentType, 'content-length': contentLength, etag } = answer.headers;
  return {
    ...(contentType ? { contentType } : {}),
    contentLength: contentLength === undefined ? answer.body.length : Number(contentLength),
    ...(etag ? { eTag: etag } : {}),
  };
}

/** The S3 object client for the AI data bucket; `AWS_S3_FORCE_PATH_STYLE=true` selects path style (local fakes). */
export function createS3Objects(options: S3ObjectsOptions = {}): S3Objects {
  const { forcePathStyle, ...clientOptions } = options;
  return new S3Objects(createAwsClient(S3, clientOptions), {
    forcePathStyle: forcePathStyle ?? process.env.AWS_S3_FORCE_PATH_STYLE === 'true',
  });
}
