import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests: its own data directory, a free loopback port, TLS with
 * a self-signed certificate, and `hostssl`-only authentication (like `rds.force_ssl = 1`). Needs the
 * PostgreSQL server binaries (`initdb`, `postgres`; Debian's `postgresql` package) and `openssl`.
 * As root the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
 */
export interface LocalPostgres {
  readonly host: string;
  readonly port: number;
  /** The bootstrap superuser, standing in for the RDS master user. */
  readonly superuser: { readonly user: string; readonly password: string };
  /** PEM of the server certificate (its own CA), for verified TLS. */
  readonly ca: string;
  /** Everything the server logged so far (statements under `log_statement = ddl`). */
  serverLog(): string;
  stop(): Promise<void>;
}

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/** Where `initdb` and `postgres` live, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  for (const dir of BIN_DIRS) {
    try {
      execFileSync(path.join(dir, 'postgres'), ['--version'], { stdio: 'ignore' });
      return dir;
    } catch {}
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    return initdb
      ? path.dirname(execFileSync('readlink', ['-f', initdb], { encoding: 'utf8' }).trim())
      : undefined;
  } catch {
    return undefined;
  }
}

/** `runuser` (util-linux) lives in /usr/sbin or /sbin, which a non-login PATH may leave out. */
function runuserPath(): string {
  return ['/usr/sbin/runuser', '/sbin/runuser'].find((file) => existsSync(file)) ?? 'runuser';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalPostgres(binDir: string): Promise<LocalPostgres> {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'bandup-pg-'));
  const data = path.join(dir, 'data');
  const password = 'local-test-superuser';
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, password);
  const owner = isRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : undefined;
  const group = isRoot ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) : undefined;
  if (owner !== undefined && group !== undefined) {
    chownSync(dir, owner, group);
    chownSync(pwfile, owner, group);
  }
  const asServerUser = (file: string, args: string[]) =>
    isRoot ? ([runuserPath(), ['-u', 'postgres', '--', file, ...args]] as const) : ([file, args] as const);

  const [initCmd, initArgs] = asServerUser(path.join(binDir, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    pwfile,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, [...initArgs], { stdio: 'ignore' });

  const cert = path.join(data, 'server.crt');
  const key = path.join(data, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  if (owner !== undefined && group !== undefined) {
    chownSync(key, owner, group);
    chownSync(cert, owner, group);
  }
  // TLS only, SCRAM only: a plain-text connection is refused like on RDS with rds.force_ssl.
  writeFileSync(path.join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 scram-sha-256\n');

  const port = await freePort();
  const [cmd, args] = asServerUser(path.join(binDir, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-c',
    'ssl=on',
    '-c',
    `ssl_cert_file=${cert}`,
    '-c',
    `ssl_key_file=${key}`,
    '-c',
    'fsync=off',
    '-c',
    'password_encryption=scram-sha-256',
    '-c',
    'log_statement=ddl',
  ]);
  const server: ChildProcess = spawn(cmd, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk) => {
    log += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (log.includes('ready to accept connections')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    server.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`postgres exited (${code}): ${log}`));
    });
  });

  return {
    host: 'localhost',
    port,
    superuser: { user: 'postgres', password },
    ca: readFileSync(cert, 'utf8'),
    serverLog: () => log,
    async stop() {
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        // The postmaster itself (runuser does not forward signals): SIGINT is a fast shutdown.
        const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
