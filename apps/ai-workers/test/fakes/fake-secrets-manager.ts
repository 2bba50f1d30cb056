import { type FakeHttpServer, startFakeHttpServer } from './fake-http-server.js';

export interface FakeSecretsManager extends FakeHttpServer {
  /** Secret strings by id (ARN or name); tests may change them between calls. */
  readonly secrets: Map<string, string>;
  /** GetSecretValue calls received. */
  getCalls(): number;
}

/**
 * A fake Secrets Manager (JSON 1.1 protocol: `POST /` with `X-Amz-Target`) answering
 * GetSecretValue from a map; unknown ids get the real `ResourceNotFoundException`.
 */
export async function startFakeSecretsManager(
  initial: Record<string, string> = {},
): Promise<FakeSecretsManager> {
  const secrets = new Map(Object.entries(initial));
  let calls = 0;
  const server = await startFakeHttpServer({
    'POST /': (request) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target !== 'secretsmanager.GetSecretValue') {
        return {
          status: 400,
          body: { __type: 'InvalidRequestException', message: `fake does not do ${target}` },
        };
      }
      calls++;
      const { SecretId } = request.json<{ SecretId: string }>();
      const value = secrets.get(SecretId);
      if (value === undefined) {
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: {
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret.",
          },
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: { ARN: SecretId, Name: SecretId.split(':').pop(), SecretString: value, VersionId: 'v1' },
      };
    },
  });
  return { ...server, secrets, getCalls: () => calls };
}
