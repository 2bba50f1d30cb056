import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prod } from '../src/config/prod.js';
import { ROLLING_RESTART_DIR } from '../src/constructs/containers/rolling-restart.js';
import { ROTATION_FUNCTION_DIR } from '../src/constructs/data/cache-password-secret.js';
import { loginUsers, POSTGRES_APP_USER_DIR } from '../src/constructs/data/postgres-app-user.js';
import type { Json } from './app-fixture.js';
import { FakeSecretsManager } from './support/fake-secrets-manager.js';

/**
 * The rotation timeline, simulated with the deployed code: the PostgreSQL rotation (alternating
 * users), the Valkey rotation (two passwords), and the rolling restart, run step by step against
 * in-memory stand-ins that follow each service's semantics:
 * - Secrets Manager: version stages (fake-secrets-manager.ts); a rotation's four steps are separate
 *   invocations minutes apart, and tasks may start between them.
 * - PostgreSQL: a login works when the password matches the user's current SCRAM verifier.
 * - ElastiCache: AUTH works when the password is one of the user's (at most two) passwords.
 * - ECS: a task reads each secret's AWSCURRENT once, when it starts, and keeps it; a deployment
 *   (forceNewDeployment) starts new tasks and stops the old ones once the new ones are healthy
 *   (minimum healthy 100 %); crashed tasks are replaced at any moment, also mid-rotation.
 * The invariant checked after every event: every live task holds credentials that work.
 */

const load = async <T>(dir: string, file: string): Promise<T> =>
  (await import(pathToFileURL(path.join(dir, file)).href)) as T;
type Rotate = (
  event: { SecretId: string; ClientRequestToken: string; Step: string },
  ctx: unknown,
) => Promise<void>;
const pgRotation = await load<{ rotate: Rotate }>(POSTGRES_APP_USER_DIR, 'rotation.mjs');
const { scramVerifier } = await load<{
  scramVerifier(pw: string, o?: { salt?: Buffer; iterations?: number }): string;
}>(POSTGRES_APP_USER_DIR, 'scram.mjs');
const cacheRotation = await load<{ rotate: Rotate }>(ROTATION_FUNCTION_DIR, 'index.mjs');
const restart = await load<{
  restartOnRotation(
    event: unknown,
    ctx: {
      ecs: { send(c: unknown): Promise<unknown> };
      cluster: string;
      services: string[];
      secrets: string[];
    },
  ): Promise<{ restarted: string[] }>;
}>(ROLLING_RESTART_DIR, 'index.mjs');

const DB_SECRET =
  'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:bandup/prod/database/app-credentials';
const CACHE_SECRET =
  'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:bandup/prod/cache/app-password';
const MASTER_SECRET = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:rds!db-master';
const OWNER = prod.ecs.backendDatabaseUser ?? 'bandup_app';
const LAYOUT = { database: 'band_up', owner: OWNER, users: loginUsers(OWNER) };
const MINUTE = 1;
const DAY = 24 * 60 * MINUTE;

/** PostgreSQL as the rotation sees it: roles with SCRAM verifiers, statements parsed from text. */
class FakePostgres {
  readonly verifiers = new Map<string, string>();
  private readonly checked = new Map<string, boolean>();
  constructor(private readonly master: { user: string; password: string }) {}

  accepts(user: string, password: string): boolean {
    if (user === this.master.user) return password === this.master.password;
    const verifier = this.verifiers.get(user);
    if (!verifier) return false;
    const key = `${verifier}\0${password}`;
    const known = this.checked.get(key);
    if (known !== undefined) return known;
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(verifier) ?? [];
    const ok =
      scramVerifier(password, {
        salt: Buffer.from(salt as string, 'base64'),
        iterations: Number(iterations),
      }) === verifier;
    this.checked.set(key, ok);
    return ok;
  }

  connect = async (login: { user: string; password: string }) => {
    if (!this.accepts(login.user, login.password))
      throw new Error(`password authentication failed for ${login.user}`);
    return {
      escapeIdentifier: (name: string) => `"${name.replace(/"/g, '""')}"`,
      escapeLiteral: (value: string) => `'${value.replace(/'/g, "''")}'`,
      end: async () => {},
      query: async (text: string) => {
        const alter = /^ALTER ROLE "([^"]+)" LOGIN PASSWORD '([^']+)'$/.exec(text);
        if (alter) {
          if (login.user !== this.master.user) throw new Error('permission denied to alter role');
          this.verifiers.set(alter[1] as string, alter[2] as string);
          return { rows: [] };
        }
        if (text.startsWith('SELECT current_user')) return { rows: [{ role: OWNER, login: login.user }] };
        throw new Error(`FakePostgres: unexpected statement ${text}`);
      },
    };
  };
}

/** The ElastiCache user: ModifyUser replaces its password list (at most two). */
class FakeElastiCache {
  passwords: string[] = [];
  async send(command: { constructor: { name: string }; input: Json }) {
    const op = command.constructor.name;
    if (op === 'ModifyUserCommand') {
      const passwords = command.input.AuthenticationMode.Passwords as string[];
      if (passwords.length > 2) throw new Error('ElastiCache users have at most two passwords');
      this.passwords = [...passwords];
      return {};
    }
    if (op === 'DescribeUsersCommand') {
      return {
        Users: [
          { Status: 'active', Authentication: { Type: 'password', PasswordCount: this.passwords.length } },
        ],
      };
    }
    throw new Error(`FakeElastiCache: ${op}`);
  }
}

interface Task {
  readonly id: number;
  readonly service: string;
  readonly deployment: number;
  readonly startedAt: number;
  readonly db: { username: string; password: string };
  readonly cachePassword: string;
  healthyAt: number;
}

/** A seeded generator: the same timeline on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Scenario {
  readonly rotations: number;
  readonly withRestart: boolean;
  readonly seed: number;
  /** Crashed tasks replaced every few days; without, tasks live as long as nothing restarts them. */
  readonly crashes: boolean;
}

async function simulate({ rotations, withRestart, seed, crashes }: Scenario) {
  const rand = random(seed);
  const secrets = new FakeSecretsManager(() => `P${Math.floor(rand() * 1e12)}x${Math.floor(rand() * 1e12)}`);
  const master = { user: 'bandup_admin', password: 'master' };
  const postgres = new FakePostgres(master);
  const elasticache = new FakeElastiCache();
  secrets.create(MASTER_SECRET, JSON.stringify({ username: master.user, password: master.password }));
  secrets.create(DB_SECRET);
  secrets.create(CACHE_SECRET);
  const pgCtx = {
    secrets,
    connect: postgres.connect,
    masterSecretArn: MASTER_SECRET,
    layout: LAYOUT,
    endpoint: { host: 'db.internal', port: 5432 },
  };
  const cacheCtx = {
    secrets,
    elasticache,
    userId: 'bandup-prod-cache-app',
    accessString: 'on ~* +@all',
    host: 'cache.internal',
    port: 6379,
    authenticate: async ({ password }: { password: string }) => {
      if (!elasticache.passwords.includes(password)) throw new Error('WRONGPASS');
    },
    waitMs: 0,
  };

  const services = {
    'backend-primary': prod.ecs.backend.desiredCount,
    'backend-standby': prod.ecs.backend.standbyWarmCount,
  };
  const serviceArns = Object.keys(services);
  let now = 0;
  let nextTaskId = 1;
  let deployment = 0;
  const tasks: Task[] = [];
  const violations: string[] = [];
  const log: string[] = [];
  const stats = { taskStarts: 0, restarts: 0, checks: 0 };

  const read = () => {
    const db = JSON.parse(secrets.current(DB_SECRET) as string);
    return {
      db: { username: db.username, password: db.password },
      cachePassword: secrets.current(CACHE_SECRET) as string,
    };
  };
  const startTask = (service: string, dep: number) => {
    tasks.push({
      id: nextTaskId++,
      service,
      deployment: dep,
      startedAt: now,
      healthyAt: now + 3 * MINUTE,
      ...read(),
    });
    stats.taskStarts++;
  };
  const check = (what: string) => {
    stats.checks++;
    for (const task of tasks) {
      const dbOk = postgres.accepts(task.db.username, task.db.password);
      const cacheOk = elasticache.passwords.includes(task.cachePassword);
      if (!dbOk || !cacheOk) {
        violations.push(
          `t=${(now / DAY).toFixed(3)}d after ${what}: task ${task.id} (${task.service}, started t=${(task.startedAt / DAY).toFixed(3)}d) ` +
            `${dbOk ? '' : `database login ${task.db.username} refused `}${cacheOk ? '' : 'Valkey AUTH refused'}`,
        );
      }
    }
  };

  // ECS: a deployment starts the new tasks; once they are healthy it stops the others.
  const pendingDeployments: { service: string; dep: number; completeAt: number }[] = [];
  const ecs = {
    send: async (command: {
      constructor: { name: string };
      input: { service: string; forceNewDeployment: boolean };
    }) => {
      expect(command.constructor.name).toBe('UpdateServiceCommand');
      expect(command.input.forceNewDeployment).toBe(true);
      const service = command.input.service;
      const dep = ++deployment;
      for (let i = 0; i < services[service as keyof typeof services]; i++) startTask(service, dep);
      pendingDeployments.push({ service, dep, completeAt: now + 5 * MINUTE });
      stats.restarts++;
      return {};
    },
  };
  const advance = (to: number) => {
    for (;;) {
      const due = pendingDeployments
        .filter((d) => d.completeAt <= to)
        .sort((a, b) => a.completeAt - b.completeAt)[0];
      if (!due) break;
      now = Math.max(now, due.completeAt);
      pendingDeployments.splice(pendingDeployments.indexOf(due), 1);
      for (let i = tasks.length - 1; i >= 0; i--) {
        const task = tasks[i] as Task;
        if (task.service === due.service && task.deployment < due.dep) tasks.splice(i, 1);
      }
      check(`deployment ${due.dep} of ${due.service} completed`);
    }
    now = Math.max(now, to);
  };

  const rotationStep = async (secret: string, token: string, step: string) => {
    if (secret === DB_SECRET)
      await pgRotation.rotate({ SecretId: secret, ClientRequestToken: token, Step: step }, pgCtx);
    else await cacheRotation.rotate({ SecretId: secret, ClientRequestToken: token, Step: step }, cacheCtx);
  };

  // The platform's apply: both first rotations run before the app stack starts any task.
  for (const secret of [DB_SECRET, CACHE_SECRET]) {
    secrets.beginRotation(secret, `${secret}-0`);
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
      await rotationStep(secret, `${secret}-0`, step);
  }
  for (const [service, count] of Object.entries(services))
    for (let i = 0; i < count; i++) startTask(service, 0);
  check('first start');

  // Events: each secret rotates on its schedule (offset so the two interleave), each step a few
  // minutes apart, with crashed tasks replaced at random moments, some between rotation steps.
  type Event = { at: number; what: string; run: () => Promise<void> | void };
  const events: Event[] = [];
  const schedule = [
    { secret: DB_SECRET, everyDays: prod.database.appPasswordRotationDays ?? 30, offset: 0.25 * DAY },
    {
      secret: CACHE_SECRET,
      everyDays: prod.cache.passwordRotationDays ?? 30,
      offset: 0.25 * DAY + 2 * MINUTE,
    },
  ];
  for (const { secret, everyDays, offset } of schedule) {
    for (let k = 1; k <= rotations; k++) {
      const start = offset + (k - 1) * everyDays * DAY + Math.floor(rand() * 6 * 60) * MINUTE;
      const token = `${secret}-${k}`;
      events.push({ at: start, what: `RotateSecret ${k}`, run: () => secrets.beginRotation(secret, token) });
      ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].forEach((step, i) => {
        events.push({
          at: start + (i + 1) * MINUTE,
          what: `${step} ${k} of ${secret === DB_SECRET ? 'database' : 'cache'}`,
          run: async () => {
            await rotationStep(secret, token, step);
            if (step === 'finishSecret' && withRestart) {
              // EventBridge delivers RotationSucceeded within about a minute; the function restarts both services.
              const event = {
                source: 'aws.secretsmanager',
                'detail-type': 'AWS Service Event via CloudTrail',
                detail: { eventName: 'RotationSucceeded', additionalEventData: { SecretId: secret } },
              };
              await restart.restartOnRotation(event, {
                ecs,
                cluster: 'cluster',
                services: serviceArns,
                secrets: [DB_SECRET, CACHE_SECRET],
              });
            }
          },
        });
        // A crash replaced right after this step: the new task reads whatever is AWSCURRENT now.
        if (crashes && rand() < 0.5) {
          const service = serviceArns[Math.floor(rand() * serviceArns.length)] as string;
          events.push({
            at: start + (i + 1) * MINUTE + 30 / 60,
            what: `replace a ${service} task`,
            run: () => replaceOne(service),
          });
        }
      });
    }
  }
  const horizon = Math.max(...schedule.map((s) => s.offset + rotations * s.everyDays * DAY));
  for (let t = 0; crashes && t < horizon; t += Math.floor((0.5 + rand() * 3) * DAY)) {
    const service = serviceArns[Math.floor(rand() * serviceArns.length)] as string;
    events.push({
      at: t + Math.floor(rand() * DAY),
      what: `replace a ${service} task`,
      run: () => replaceOne(service),
    });
  }
  function replaceOne(service: string) {
    const live = tasks.filter((t) => t.service === service);
    const victim = live[Math.floor(rand() * live.length)];
    if (!victim) return;
    tasks.splice(tasks.indexOf(victim), 1);
    startTask(service, victim.deployment);
  }

  events.sort((a, b) => a.at - b.at);
  for (const event of events) {
    advance(event.at);
    await event.run();
    log.push(event.what);
    check(event.what);
  }
  advance(horizon + DAY);
  check('end');
  return { violations, stats, tasks, secrets };
}

describe('credential rotation timeline (PostgreSQL alternating users, Valkey two passwords, rolling restart)', () => {
  it.each([
    [1, true],
    [2, true],
    [3, true],
    [4, false],
  ])(
    'seed %i (crashes: %s): 8 rotations of each secret, every live task always holds working credentials',
    async (seed, crashes) => {
      const { violations, stats } = await simulate({ rotations: 8, withRestart: true, seed, crashes });
      expect(violations).toEqual([]);
      // The scenario really exercised what it claims to: 2 secrets x 8 rotations x 2 services restarted.
      expect(stats.restarts).toBe(2 * 8 * 2);
      expect(stats.taskStarts).toBeGreaterThan(2 * 8 * 3);
      expect(stats.checks).toBeGreaterThan(2 * 8 * 5);
    },
  );

  it('without the restart, tasks older than two rotations lose their database login and their Valkey password', async () => {
    const { violations } = await simulate({ rotations: 3, withRestart: false, seed: 1, crashes: false });
    expect(violations.some((v) => v.includes('database login'))).toBe(true);
    expect(violations.some((v) => v.includes('Valkey AUTH refused'))).toBe(true);
  });

  it('the database user alternates at every rotation and never is the master user', async () => {
    const { secrets, tasks } = await simulate({ rotations: 3, withRestart: true, seed: 7, crashes: true });
    const current = JSON.parse(secrets.current(DB_SECRET) as string);
    expect(LAYOUT.users).toContain(current.username);
    for (const task of tasks) {
      expect(task.db.username).not.toBe('bandup_admin');
      expect(LAYOUT.users).toContain(task.db.username);
    }
  });
});
