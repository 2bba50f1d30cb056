import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_APP_USER_DIR } from '../src/constructs/data/postgres-app-user.js';
import { FakeSecretsManager } from './support/fake-secrets-manager.js';
import { type LocalPostgres, postgresBinDir, startLocalPostgres } from './support/local-postgres.js';

/** The deployed modules themselves (plain ESM), loaded as the runtime would. */
const load = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(path.join(POSTGRES_APP_USER_DIR, file)).href)) as T;
type Layout = { database: string; owner: string; users: readonly [string, string] };
type Login = { user: string; password: string };
const { handler: _unused, ...indexModule } = await load<{
  handler: unknown;
  bootstrap(ctx: unknown): Promise<{ created: string[]; reassigned: string[] }>;
  tlsConnector(
    endpoint: { host: string; port: number },
    database: string,
    tls?: object,
  ): (login: Login) => Promise<pg.Client>;
  settingsFromEnvironment(env: Record<string, string | undefined>): unknown;
}>('index.mjs');
const rotation = await load<{
  rotate(event: { SecretId: string; ClientRequestToken: string; Step: string }, ctx: unknown): Promise<void>;
  nextUser(current: string | undefined, users: readonly string[]): string;
}>('rotation.mjs');
const { scramVerifier } = await load<{
  scramVerifier(pw: string, o?: { salt?: Buffer; iterations?: number }): string;
}>('scram.mjs');

const LAYOUT: Layout = {
  database: 'band_up',
  owner: 'bandup_app',
  users: ['bandup_app_blue', 'bandup_app_green'],
};
const MASTER = { user: 'bandup_admin', password: 'master-password-for-tests-only' };
const MASTER_ARN = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:rds!db-master';
const APP_ARN = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:bandup/dev/database/app';

describe('settings and SCRAM verifier', () => {
  it('names every missing environment variable', () => {
    expect(() => indexModule.settingsFromEnvironment({ DB_HOST: 'h' })).toThrow(
      'DB_PORT, DB_NAME, DB_OWNER_ROLE, DB_LOGIN_USERS, MASTER_SECRET_ARN',
    );
  });

  it('computes the RFC 7677 verifier (test vector: user "user", password "pencil")', () => {
    // RFC 7677 section 3: salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    expect(scramVerifier('pencil', { salt, iterations: 4096 })).toBe(
      'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
    );
  });

  it('alternates between the two login users', () => {
    expect(rotation.nextUser(undefined, LAYOUT.users)).toBe('bandup_app_blue');
    expect(rotation.nextUser('bandup_app_blue', LAYOUT.users)).toBe('bandup_app_green');
    expect(rotation.nextUser('bandup_app_green', LAYOUT.users)).toBe('bandup_app_blue');
  });
});

const binDir = postgresBinDir();

/**
 * Against a real PostgreSQL server (TLS only, SCRAM, `log_statement = ddl`), with a master user that
 * is not a superuser (CREATEROLE, owner of the database), as on RDS.
 */
describe.skipIf(!binDir)('the bootstrap and the rotation against PostgreSQL', () => {
  let server: LocalPostgres;
  let connect: (login: Login) => Promise<pg.Client>;
  const secrets = new FakeSecretsManager();

  const login = async (user: string, password: string) => {
    const client = await connect({ user, password });
    try {
      const { rows } = await client.query('SELECT current_user AS role, session_user AS login');
      return rows[0] as { role: string; login: string };
    } finally {
      await client.end();
    }
  };
  const canLogin = (creds: { username: string; password: string }) =>
    login(creds.username, creds.password).then(
      () => true,
      () => false,
    );
  const runRotation = async (token: string) => {
    secrets.beginRotation(APP_ARN, token);
    const ctx = {
      secrets,
      connect,
      masterSecretArn: MASTER_ARN,
      layout: LAYOUT,
      endpoint: { host: server.host, port: server.port },
    };
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      await rotation.rotate({ SecretId: APP_ARN, ClientRequestToken: token, Step }, ctx);
    }
    return JSON.parse(secrets.current(APP_ARN) as string) as {
      username: string;
      password: string;
      dbname: string;
    };
  };

  beforeAll(async () => {
    server = await startLocalPostgres(binDir as string);
    const superuser = indexModule.tlsConnector({ host: server.host, port: server.port }, 'postgres', {
      ca: server.ca,
    });
    const admin = await superuser(server.superuser);
    await admin.query(
      `CREATE ROLE ${MASTER.user} LOGIN CREATEROLE CREATEDB PASSWORD ${admin.escapeLiteral(MASTER.password)}`,
    );
    await admin.query(`CREATE DATABASE band_up OWNER ${MASTER.user}`);
    await admin.end();
    connect = indexModule.tlsConnector({ host: server.host, port: server.port }, 'band_up', {
      ca: server.ca,
    });
    // What the backend left behind while it ran as the master user.
    const master = await connect(MASTER);
    await master.query('CREATE TABLE legacy_users (id bigserial PRIMARY KEY, email text NOT NULL)');
    await master.query('CREATE SEQUENCE legacy_counter');
    await master.end();
    secrets.create(MASTER_ARN, JSON.stringify({ username: MASTER.user, password: MASTER.password }));
    secrets.create(APP_ARN);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses connections without TLS (the server side of rds.force_ssl)', async () => {
    const plain = new pg.Client({
      host: server.host,
      port: server.port,
      database: 'band_up',
      ...MASTER,
      ssl: false,
    });
    await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry|SSL off/);
  });

  it('refuses a server certificate it cannot verify', async () => {
    const unverified = indexModule.tlsConnector({ host: server.host, port: server.port }, 'band_up');
    await expect(unverified(MASTER)).rejects.toThrow(/self[- ]signed|certificate/);
  });

  it('creates the owner role and the two login users, idempotently, and hands legacy objects over', async () => {
    const ctx = { secrets, connect, masterSecretArn: MASTER_ARN, layout: LAYOUT };
    const first = await indexModule.bootstrap(ctx);
    expect(first.created).toEqual(['bandup_app', 'bandup_app_blue', 'bandup_app_green']);
    expect(first.reassigned).toEqual(['legacy_counter', 'legacy_users']);
    const second = await indexModule.bootstrap(ctx);
    expect(second).toEqual({ created: [], reassigned: [] });

    const master = await connect(MASTER);
    const { rows } = await master.query(
      `SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
         FROM pg_roles WHERE rolname LIKE 'bandup_app%' ORDER BY rolname`,
    );
    const owners = await master.query(
      `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
        WHERE c.relname IN ('legacy_users', 'legacy_users_id_seq', 'legacy_counter') ORDER BY 1`,
    );
    await master.end();
    expect(rows).toEqual(
      [
        ['bandup_app', false],
        ['bandup_app_blue', true],
        ['bandup_app_green', true],
      ].map(([rolname, rolcanlogin]) => ({
        rolname,
        rolcanlogin,
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
        rolbypassrls: false,
      })),
    );
    expect(owners.rows.map((r) => r.owner)).toEqual(['bandup_app', 'bandup_app', 'bandup_app']);
  });

  it('no login user can log in before the first rotation (no password is set)', async () => {
    await expect(login('bandup_app_blue', '')).rejects.toThrow();
  });

  it('rotates through alternating users: current and previous log in, the one before is locked out', async () => {
    const history: { username: string; password: string }[] = [];
    for (let i = 1; i <= 4; i++) {
      const current = await runRotation(`rotation-${i}`);
      history.push(current);
      expect(current.username).toBe(LAYOUT.users[(i - 1) % 2]);
      expect(current.dbname).toBe('band_up');
      expect(await login(current.username, current.password)).toEqual({
        login: current.username,
        role: 'bandup_app',
      });
      const previous = history[i - 2];
      if (previous) expect(await canLogin(previous)).toBe(true);
      const beforePrevious = history[i - 3];
      if (beforePrevious) expect(await canLogin(beforePrevious)).toBe(false);
    }
  }, 60_000);

  it('objects created by one user stay usable and alterable by the other (owned by the owner role)', async () => {
    const current = JSON.parse(secrets.current(APP_ARN) as string);
    const other = current.username === 'bandup_app_blue' ? 'bandup_app_green' : 'bandup_app_blue';
    const a = await connect({ user: current.username, password: current.password });
    await a.query('CREATE TABLE essays (id bigserial PRIMARY KEY, body text)');
    await a.query('ALTER TABLE legacy_users ADD COLUMN name text');
    await a.query('INSERT INTO legacy_users (email) VALUES ($1)', ['a@example.com']);
    const owner = await a.query(
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'essays'`,
    );
    expect(owner.rows[0].owner).toBe('bandup_app');
    // Least privilege: no role management, no other database objects outside public.
    await expect(a.query('CREATE ROLE intruder')).rejects.toThrow(/permission denied/);
    await expect(a.query('CREATE DATABASE other')).rejects.toThrow(/permission denied/);
    await a.end();

    // The other user's password was set by the previous rotation; log in with the previous value.
    const previousVersion = await secrets.send({
      constructor: { name: 'GetSecretValueCommand' },
      input: { SecretId: APP_ARN, VersionStage: 'AWSPREVIOUS' },
    });
    const previous = JSON.parse(previousVersion.SecretString);
    expect(previous.username).toBe(other);
    const b = await connect({ user: previous.username, password: previous.password });
    await b.query('ALTER TABLE essays ADD COLUMN band numeric(2,1)');
    await b.end();
  });

  it('never writes a password to the PostgreSQL log (only SCRAM verifiers)', () => {
    const log = server.serverLog();
    const current = JSON.parse(secrets.current(APP_ARN) as string);
    expect(log).toContain('SCRAM-SHA-256$4096:');
    expect(log).not.toContain(current.password);
  });

  it('refuses to set a password on any user other than the two application users', async () => {
    const roles = await load<{
      setLoginVerifier(c: unknown, l: Layout, u: string, v: string): Promise<void>;
    }>('roles.mjs');
    const master = await connect(MASTER);
    try {
      await expect(
        roles.setLoginVerifier(master, LAYOUT, 'bandup_admin', scramVerifier('x1')),
      ).rejects.toThrow('Refusing to set a password on bandup_admin');
    } finally {
      await master.end();
    }
  });
});
