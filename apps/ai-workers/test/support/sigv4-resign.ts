import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from '../fakes/fake-http-server.js';

/** Credentials with a session token (as Lambda's are), so the signed token header is checked too. */
export const SIGNING_CREDENTIALS = {
  accessKeyId: 'AKIDLOCAL',
  secretAccessKey: 'local-secret',
  sessionToken: 'local-token',
} as const;

/**
 * The `Authorization` AWS's own signer (`@smithy/signature-v4`) computes for a request a fake server
 * received, at the request's own `x-amz-date`. It equals the request's header only if the body, path
 * and signed headers arrived exactly as they were signed: what the real service checks.
 */
export async function resignedAuthorization(
  request: RecordedRequest,
  target: {
    readonly serverUrl: string;
    readonly service: string;
    readonly region: string;
    readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** The path as signed (URI-encoded once); the fake records it decoded. */
    readonly path: string;
  },
): Promise<string | undefined> {
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const { hostname, port } = new URL(target.serverUrl);
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => name !== 'authorization' && name !== 'connection'),
  ) as Record<string, string>;
  const signed = await new SignatureV4({
    service: target.service,
    region: target.region,
    sha256: Sha256,
    credentials: target.credentials,
    applyChecksum: false,
    // S3 signs the path as sent (encoded once); every other service encodes it again.
    uriEscapePath: target.service !== 's3',
  }).sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: target.path,
      headers,
      body: request.body,
    }),
    { signingDate },
  );
  return signed.headers.authorization;
}
