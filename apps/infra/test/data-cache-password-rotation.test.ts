import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, connect as netConnect } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROTATION_FUNCTION_DIR } from '../src/constructs/data/cache-password-secret.js';
import { APP_USER_ACCESS_STRING } from '../src/constructs/data/valkey-cache.js';

/** The deployed file itself (plain ESM for the Lambda runtime), loaded as the runtime would. */
interface RotationModule {
  rotate(
    event: { SecretId: string; ClientRequestToken: string; Step: string },
    ctx: {
      secrets: SecretsManagerClient;
      elasticache: ElastiCacheClient;
      userId: string;
      accessString: string;
      host: string;
      port: number;
      authenticate?: (target: { host: string; port: number; password: string }) => Promise<void>;
      waitMs?: number;
      pollMs?: number;
    },
  ): Promise<void>;
  settingsFromEnvironment(env: Record<string, string | undefined>): Record<string, string | number>;
  authenticate(
    target: { host: string; port: number; password: string },
    open: typeof netConnect,
    timeoutMs?: number,
  ): Promise<void>;
  PASSWORD_LENGTH: number;
}

const SECRET_ARN =
  'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:bandup/dev/cache/app-password-AbCdEf';
const USER_ID = 'bandup-dev-cache-app';

/**
 * One loopback server playing Secrets Manager (JSON 1.1, `X-Amz-Target`) and ElastiCache (query
 * protocol, form body, XML answers), with just enough state to follow a rotation: the secret's
 * versions and stages, and the user's passwords and status.
 */
class FakeAws {
  versions = new Map<string, { value?: string; stages: string[] }>();
  user = { status: 'active', accessString: 'off -@all', passwords: [] as string[], type: 'no-password' };
  rotationEnabled = true;
  calls: string[] = [];
  private counter = 0;

  handle(target: string | undefined, body: string): { status: number; type: string; body: string } {
    if (target) return this.secretsManager(target.replace('secretsmanager.', ''), JSON.parse(body));
    return this.elastiCache(new URLSearchParams(body));
  }

  private secretsManager(op: string, req: Record<string, string & string[]>) {
    this.calls.push(op);
    const json = (status: number, value: unknown) => ({
      status,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify(value),
    });
    const notFound = () => json(400, { __type: 'ResourceNotFoundException', message: 'not found' });
    switch (op) {
      case 'DescribeSecret':
        return json(200, {
          ARN: SECRET_ARN,
          RotationEnabled: this.rotationEnabled,
          VersionIdsToStages: Object.fromEntries([...this.versions].map(([id, v]) => [id, v.stages])),
        });
      case 'GetSecretValue': {
        const entry = [...this.versions].find(
          ([id, v]) =>
            (!req.VersionId || id === req.VersionId) &&
            (!req.VersionStage || v.stages.includes(req.VersionStage)) &&
            v.value !== undefined,
        );
        return entry
          ? json(200, { ARN: SECRET_ARN, VersionId: entry[0], SecretString: entry[1].value })
          : notFound();
      }
      case 'GetRandomPassword':
        this.counter += 1;
        return json(200, {
          RandomPassword: `Generated${this.counter}`.padEnd(Number(req.PasswordLength), 'x'),
        });
      case 'PutSecretValue': {
        const version = this.versions.get(req.ClientRequestToken as string);
        if (!version) return notFound();
        version.value = req.SecretString;
        return json(200, { ARN: SECRET_ARN, VersionId: req.ClientRequestToken });
      }
      case 'UpdateSecretVersionStage': {
        for (const [id, v] of this.versions) {
          if (id === req.RemoveFromVersionId)
            v.stages = v.stages.filter((s) => s !== req.VersionStage).concat('AWSPREVIOUS');
          if (id === req.MoveToVersionId) v.stages = [req.VersionStage as string];
        }
        return json(200, { ARN: SECRET_ARN });
      }
      default:
        return json(400, { __type: 'InvalidRequestException', message: `fake does not know ${op}` });
    }
  }

  private elastiCache(form: URLSearchParams) {
    const action = form.get('Action') ?? '';
    this.calls.push(action);
    const xml = (inner: string) => ({
      status: 200,
      type: 'text/xml',
      body: `<${action}Response xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></${action}Response>`,
    });
    if (form.get('UserId') !== USER_ID) {
      return {
        status: 404,
        type: 'text/xml',
        body: '<ErrorResponse><Error><Code>UserNotFound</Code><Message>no</Message></Error></ErrorResponse>',
      };
    }
    if (action === 'ModifyUser') {
      this.user = {
        status: 'modifying',
        accessString: form.get('AccessString') ?? this.user.accessString,
        type: form.get('AuthenticationMode.Type') ?? this.user.type,
        passwords: [...form.entries()]
          .filter(([k]) => k.startsWith('AuthenticationMode.Passwords.member.'))
          .map(([, v]) => v),
      };
      return xml(`<UserId>${USER_ID}</UserId><Status>modifying</Status>`);
    }
    if (action === 'DescribeUsers') {
      return xml(
        `<Users><member><UserId>${USER_ID}</UserId><UserName>default</UserName><Status>${this.user.status}</Status>` +
          `<Authentication><Type>${this.user.type}</Type><PasswordCount>${this.user.passwords.length}</PasswordCount></Authentication></member></Users>`,
      );
    }
    return {
      status: 400,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Code>InvalidAction</Code><Message>no</Message></Error></ErrorResponse>',
    };
  }

  /** What Secrets Manager does when a rotation starts: a new AWSPENDING version with no value yet. */
  startRotation(token: string): void {
    this.versions.set(token, { stages: ['AWSPENDING'] });
  }
}

describe('cache password rotation function (real SDK clients, fake AWS on 127.0.0.1)', () => {
  let server: Server;
  let fake: FakeAws;
  let mod: RotationModule;
  let ctx: Parameters<RotationModule['rotate']>[1];

  beforeAll(async () => {
    mod = (await import(pathToFileURL(path.join(ROTATION_FUNCTION_DIR, 'index.mjs')).href)) as RotationModule;
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = fake.handle(
        req.headers['x-amz-target'] as string | undefined,
        Buffer.concat(chunks).toString('utf8'),
      );
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const common = {
      endpoint,
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    };
    ctx = {
      secrets: new SecretsManagerClient(common),
      elasticache: new ElastiCacheClient(common),
      userId: USER_ID,
      accessString: APP_USER_ACCESS_STRING,
      host: 'cache.test.internal',
      port: 6379,
      // One check per testSecret unless a test allows waiting.
      waitMs: 0,
      pollMs: 1,
      // Plays Valkey: accepts exactly the passwords the user currently has.
      authenticate: async ({ password }) => {
        fake.calls.push('AUTH');
        if (!fake.user.passwords.includes(password)) throw new Error('WRONGPASS');
      },
    };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    fake = new FakeAws();
  });

  const runAll = async (token: string) => {
    fake.startRotation(token);
    for (const Step of ['createSecret', 'setSecret'])
      await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: token, Step }, ctx);
    fake.user.status = 'active'; // ElastiCache finished applying the change
    for (const Step of ['testSecret', 'finishSecret'])
      await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: token, Step }, ctx);
  };

  it('first rotation: generates the password in Secrets Manager and enables the disabled user with it', async () => {
    await runAll('token-1');
    const v1 = fake.versions.get('token-1');
    expect(v1?.stages).toEqual(['AWSCURRENT']);
    expect(v1?.value).toHaveLength(mod.PASSWORD_LENGTH);
    expect(fake.user).toEqual({
      status: 'active',
      accessString: APP_USER_ACCESS_STRING,
      type: 'password',
      passwords: [v1?.value],
    });
    expect(fake.calls).toContain('GetRandomPassword');
    // The login test ran before AWSCURRENT moved.
    expect(fake.calls.indexOf('AUTH')).toBeGreaterThan(-1);
    expect(fake.calls.indexOf('AUTH')).toBeLessThan(fake.calls.lastIndexOf('UpdateSecretVersionStage'));
  });

  it('testSecret waits for ElastiCache to finish applying the change, then passes', async () => {
    fake.startRotation('token-1');
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx);
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'setSecret' }, ctx);
    let describes = 0;
    const elasticache = {
      send: async (command: Parameters<ElastiCacheClient['send']>[0]) => {
        describes += 1;
        if (describes === 3) fake.user.status = 'active'; // live on the third look
        return ctx.elasticache.send(command);
      },
    } as unknown as ElastiCacheClient;
    await mod.rotate(
      { SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'testSecret' },
      { ...ctx, elasticache, waitMs: 60_000 },
    );
    expect(describes).toBe(3);
    expect(fake.calls.filter((c) => c === 'AUTH')).toHaveLength(1);
  });

  it('testSecret fails when Valkey refuses the new password (AWSCURRENT stays where it was)', async () => {
    fake.startRotation('token-1');
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx);
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'setSecret' }, ctx);
    fake.user = { ...fake.user, status: 'active', passwords: ['something-else'] };
    await expect(
      mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'testSecret' }, ctx),
    ).rejects.toThrow('WRONGPASS');
    expect(fake.versions.get('token-1')?.stages).toEqual(['AWSPENDING']);
  });

  it('next rotation: the user accepts the previous and the new password, AWSCURRENT moves to the new one', async () => {
    await runAll('token-1');
    await runAll('token-2');
    const [v1, v2] = [fake.versions.get('token-1'), fake.versions.get('token-2')];
    expect(v2?.stages).toEqual(['AWSCURRENT']);
    expect(v1?.stages).toEqual(['AWSPREVIOUS']);
    expect(v2?.value).not.toBe(v1?.value);
    expect(fake.user.passwords).toEqual([v1?.value, v2?.value]);
  });

  it('createSecret is idempotent: a retried step keeps the pending value', async () => {
    fake.startRotation('token-1');
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx);
    const first = fake.versions.get('token-1')?.value;
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx);
    expect(fake.versions.get('token-1')?.value).toBe(first);
    expect(fake.calls.filter((c) => c === 'GetRandomPassword')).toHaveLength(1);
  });

  it('testSecret fails while ElastiCache is still applying the change (so AWSCURRENT does not move)', async () => {
    fake.startRotation('token-1');
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx);
    await mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'setSecret' }, ctx);
    await expect(
      mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'testSecret' }, ctx),
    ).rejects.toThrow(/"modifying", not active/);
    expect(fake.versions.get('token-1')?.stages).toEqual(['AWSPENDING']);
  });

  it('refuses a secret without rotation enabled, an unknown version and an unknown step, naming them', async () => {
    fake.startRotation('token-1');
    await expect(
      mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'nope', Step: 'createSecret' }, ctx),
    ).rejects.toThrow(/version nope .* does not exist/);
    await expect(
      mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'dance' }, ctx),
    ).rejects.toThrow(/Unknown rotation step "dance"/);
    fake.rotationEnabled = false;
    await expect(
      mod.rotate({ SecretId: SECRET_ARN, ClientRequestToken: 'token-1', Step: 'createSecret' }, ctx),
    ).rejects.toThrow(/does not have rotation enabled/);
  });

  it('names missing environment variables', () => {
    expect(() => mod.settingsFromEnvironment({ CACHE_USER_ID: USER_ID })).toThrow(
      /CACHE_USER_ACCESS_STRING, CACHE_HOST, CACHE_PORT not set/,
    );
    const env = {
      CACHE_USER_ID: USER_ID,
      CACHE_USER_ACCESS_STRING: 'on',
      CACHE_HOST: 'h',
      CACHE_PORT: '6379',
    };
    expect(mod.settingsFromEnvironment(env)).toEqual({
      userId: USER_ID,
      accessString: 'on',
      host: 'h',
      port: 6379,
    });
    expect(() => mod.settingsFromEnvironment({ ...env, CACHE_PORT: 'x' })).toThrow(
      /CACHE_PORT must be a TCP port, got "x"/,
    );
  });
});

describe('authenticate (RESP AUTH against a loopback server)', () => {
  const load = async () =>
    (await import(pathToFileURL(path.join(ROTATION_FUNCTION_DIR, 'index.mjs')).href)) as RotationModule;
  const withServer = async (
    reply: string | null,
    run: (port: number, received: string[]) => Promise<void>,
  ) => {
    const received: string[] = [];
    const server = createTcpServer((socket) => {
      socket.on('data', (chunk) => {
        received.push(chunk.toString('utf8'));
        if (reply !== null) socket.write(reply);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run((server.address() as AddressInfo).port, received);
    } finally {
      server.close();
    }
  };

  it('sends AUTH as a RESP array (byte length) and resolves on +OK', async () => {
    const mod = await load();
    await withServer('+OK\r\n', async (port, received) => {
      await mod.authenticate({ host: '127.0.0.1', port, password: 'pässword' }, netConnect);
      expect(received.join('')).toBe('*2\r\n$4\r\nAUTH\r\n$9\r\npässword\r\n');
    });
  });

  it('rejects a refusal without repeating the password, and times out on silence', async () => {
    const mod = await load();
    await withServer('-WRONGPASS invalid username-password pair or user is disabled.\r\n', async (port) => {
      const error = await mod
        .authenticate({ host: '127.0.0.1', port, password: 'secret-123' }, netConnect)
        .catch((e: Error) => e);
      expect(String((error as Error).message)).toMatch(/AUTH refused \(-WRONGPASS/);
      expect(String((error as Error).message)).not.toContain('secret-123');
    });
    await withServer(null, async (port) => {
      await expect(
        mod.authenticate({ host: '127.0.0.1', port, password: 'p' }, netConnect, 200),
      ).rejects.toThrow(/no answer to AUTH within 200 ms/);
    });
  });
});
