import { createHmac } from 'node:crypto';
import { type Credentials, environmentCredentials } from './aws-credentials.js';

/**
 * S3 presigned POST (browser-based upload) signed locally with SigV4, the way
 * `@aws-sdk/s3-presigned-post` does it: the same policy document, field names, order and signature
 * (the test compares both outputs byte for byte). That package needs a whole S3 client to read a
 * region and credentials; the upload function signs a policy and makes no AWS call, so it would
 * load the S3 client and the SDK runtime (~280 KiB, most of its cold start) for nothing.
 */
type PolicyCondition =
  | readonly ['content-length-range', number, number]
  | readonly ['eq' | 'starts-with', string, string];

interface PresignedPostRequest {
  readonly bucket: string;
  readonly key: string;
  /** Form fields the client must send as given (e.g. `Content-Type`); each is also a policy condition. */
  readonly fields?: Readonly<Record<string, string>>;
  readonly conditions?: readonly PolicyCondition[];
  readonly expiresSeconds: number;
  /** The signature's date; the policy expires `expiresSeconds` after it. */
  readonly signedAt: Date;
}

interface PresignedPost {
  readonly url: string;
  readonly fields: Record<string, string>;
}

export interface PostSignerOptions {
  /** Default: `AWS_REGION`. */
  readonly region?: string;
  /** Default: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL` (path-style), else the regional virtual-hosted URL. */
  readonly endpoint?: string;
  /** Default: Lambda's environment credentials, read per signature. */
  readonly credentials?: () => Credentials;
}

export type PostSigner = (request: PresignedPostRequest) => PresignedPost;

const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** Where the form is posted: the bucket's virtual-hosted URL, or path-style under an endpoint override. */
export function bucketUrl(bucket: string, region: string, endpoint?: string): string {
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}`;
  const dnsSuffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  // A dotted name breaks the *.s3 TLS certificate in virtual-hosted style; S3 then wants path style.
  return bucket.includes('.')
    ? `https://s3.${region}.${dnsSuffix}/${bucket}`
    : `https://${bucket}.s3.${region}.${dnsSuffix}/`;
}

export function createPostSigner(options: PostSignerOptions = {}): PostSigner {
  const region = options.region ?? process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set and no region was given to the S3 POST signer');
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const credentialsOf = options.credentials ?? (() => environmentCredentials());

  return (request) => {
    const credentials = credentialsOf();
    const issuedAt = request.signedAt;
    const amzDate = iso8601(issuedAt).replace(/[-:]/g, '');
    const shortDate = amzDate.slice(0, 8);
    const scope = `${shortDate}/${region}/s3/aws4_request`;
    const fields: Record<string, string> = {
      ...request.fields,
      bucket: request.bucket,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
      'X-Amz-Date': amzDate,
      ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    };
    // Conditions first, then one `{field: value}` per signed field, then the key (the SDK's order).
    const conditions = [
      ...(request.conditions ?? []),
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      { key: request.key },
    ];
    const policy = Buffer.from(
      JSON.stringify({
        expiration: iso8601(new Date(issuedAt.getTime() + request.expiresSeconds * 1000)),
        conditions,
      }),
      'utf8',
    ).toString('base64');
    const signingKey = ['s3', 'aws4_request'].reduce(
      (key, part) => hmac(key, part),
      hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), region),
    );
    return {
      url: bucketUrl(request.bucket, region, endpoint),
      fields: {
        ...fields,
        key: request.key,
        Policy: policy,
        'X-Amz-Signature': hmac(signingKey, policy).toString('hex'),
      },
    };
  };
}
