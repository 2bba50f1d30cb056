import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/review/plan-json.js';
import {
  convergedBaseline,
  type Fixture,
  renameResources,
  runFixture,
  terraformSkipReason,
} from './against-harness.js';

/**
 * Opt-in (BANDUP_PLAN_REVIEW_FIXTURES=1): a cold run plans every prod stack several times, tens
 * of minutes on a small shared machine; later runs reuse the cached converged state and plans.
 */
const skipReason =
  terraformSkipReason ??
  (process.env.BANDUP_PLAN_REVIEW_FIXTURES === '1'
    ? undefined
    : 'set BANDUP_PLAN_REVIEW_FIXTURES=1 to run them');
if (skipReason) console.warn(`[plan review fixtures skipped] ${skipReason}`);

const DATA = 'bandup-prod-data';
const AI = 'bandup-prod-ai';
const resourceOf = (doc: Json, type: string, prefix: string): Json => {
  const entry = Object.entries<Json>(doc.resource[type]).find(([name]) => name.startsWith(prefix));
  if (!entry) throw new Error(`no ${type} ${prefix}*`);
  return entry[1];
};
const database = (stacks: Record<string, Json>) =>
  resourceOf(stacks[DATA], 'aws_db_instance', 'postgres_instance');

/** Each change with its expected verdict (and the finding that makes it). */
const fixtures: (Fixture & {
  verdict: string;
  exitCode: number;
  finding?: { rule: string; address: RegExp; severity: string };
})[] = [
  { name: 'no-change', verdict: 'NO_CHANGES', exitCode: 0 },
  {
    name: 'image-release',
    config: (c) => ({
      ...c,
      ecs: {
        ...c.ecs,
        frontend: { ...c.ecs.frontend, imageTag: 'v1.1.0' },
        backend: { ...c.ecs.backend, imageTag: 'v1.1.0' },
      },
    }),
    verdict: 'GREEN',
    exitCode: 2,
    // One line for the release: the services moving to new task definitions (replaced, folded in).
    finding: { rule: 'release', address: /^aws_ecs_service\./, severity: 'GREEN' },
  },
  {
    name: 'rds-identifier-rename',
    edit: (s) => {
      database(s).identifier = 'bandup-prod-postgres-v2';
    },
    verdict: 'AMBER',
    exitCode: 3,
    finding: { rule: 'risky-update', address: /^aws_db_instance\.postgres_instance/, severity: 'AMBER' },
  },
  {
    name: 'rds-major-version',
    config: (c) => ({ ...c, database: { ...c.database, engineVersion: '18' } }),
    verdict: 'AMBER',
    exitCode: 3,
    finding: { rule: 'risky-update', address: /^aws_db_instance\.postgres_instance/, severity: 'AMBER' },
  },
  {
    name: 'rds-storage-type',
    edit: (s) => {
      database(s).storage_type = 'io2';
      database(s).iops = 3000;
    },
    verdict: 'AMBER',
    exitCode: 3,
    finding: { rule: 'risky-update', address: /^aws_db_instance\.postgres_instance/, severity: 'AMBER' },
  },
  {
    name: 'db-subnet-group-rename',
    edit: (s) => {
      resourceOf(s[DATA], 'aws_db_subnet_group', 'postgres_subnet-group').name = 'bandup-prod-postgres-v2';
    },
    verdict: 'AMBER',
    exitCode: 3,
    finding: { rule: 'risky-update', address: /^aws_db_instance\.postgres_instance/, severity: 'AMBER' },
  },
  {
    name: 'vpc-cidr-change',
    config: (c) => ({
      ...c,
      network: {
        ...c.network,
        vpcCidr: '10.1.0.0/16',
        publicSubnetCidrs: ['10.1.0.0/24', '10.1.1.0/24'],
        appSubnetCidrs: ['10.1.2.0/24', '10.1.3.0/24'],
        dataSubnetCidrs: ['10.1.4.0/24', '10.1.5.0/24'],
      },
    }),
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'stateful-replace', address: /^aws_vpc\./, severity: 'RED' },
  },
  {
    name: 'valkey-node-type',
    config: (c) => ({ ...c, cache: { ...c.cache, nodeType: 'cache.t4g.small' } }),
    verdict: 'AMBER',
    exitCode: 3,
    finding: { rule: 'risky-update', address: /^aws_elasticache_replication_group\./, severity: 'AMBER' },
  },
  {
    // AWS provider 5.100.0 (customizeDiffEngineForceNewOnDowngrade on aws_elasticache_replication_group)
    // changes `engine` in place only from redis to valkey; any other engine change, valkey back to
    // redis here, forces a new replication group. In prod prevent_destroy stops that plan, so the
    // real plan fails and the review reports the block (RED), not an in-place engine change (AMBER).
    name: 'valkey-node-type-and-engine',
    config: (c) => ({ ...c, cache: { ...c.cache, nodeType: 'cache.t4g.small' } }),
    edit: (s) => {
      const group = resourceOf(s[DATA], 'aws_elasticache_replication_group', 'valkey_replication-group');
      group.engine = 'redis';
      group.engine_version = '7.1';
    },
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'prevent-destroy', address: /^aws_elasticache_replication_group\./, severity: 'RED' },
  },
  {
    name: 'rename-rds-construct',
    edit: (s) =>
      renameResources(
        s[DATA],
        'aws_db_instance',
        /^postgres_instance_/,
        () => 'postgres_database_5A1B2C3D',
        (p) => p.replace('/instance', '/database'),
      ),
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'rename', address: /^aws_db_instance\.postgres_instance_/, severity: 'RED' },
  },
  {
    name: 'rename-media-bucket-construct',
    edit: (s) =>
      renameResources(
        s[DATA],
        '*',
        // The bucket construct `media` and its children (not `media-cdn`, another construct).
        /^media_/,
        (n) => n.replace(/^media_/, 'assets_'),
        (p) => p.replace('/media/', '/assets/'),
      ),
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'rename', address: /^aws_s3_bucket\.media_bucket_/, severity: 'RED' },
  },
  {
    name: 'rename-jobs-table-construct',
    edit: (s) =>
      renameResources(
        s[AI],
        'aws_dynamodb_table',
        /^jobs-table_/,
        () => 'job-store_table_7E8F9A0B',
        (p) => p.replace('/jobs-table/', '/job-store/'),
      ),
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'rename', address: /^aws_dynamodb_table\.jobs-table_/, severity: 'RED' },
  },
  {
    name: 'rename-ai-kms-key-construct',
    edit: (s) =>
      renameResources(
        s[AI],
        '*',
        /^key_/,
        (n) => n.replace(/^key_/, 'ai-key_'),
        (p) => p.replace('/key/', '/ai-key/'),
      ),
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'rename', address: /^aws_kms_key\.key_/, severity: 'RED' },
  },
  {
    name: 'bucket-rename-blocked-by-prevent-destroy',
    edit: (s) => {
      resourceOf(s[DATA], 'aws_s3_bucket', 'media_bucket').bucket = 'bandup-prod-media-v2';
    },
    verdict: 'RED',
    exitCode: 4,
    finding: { rule: 'prevent-destroy', address: /^aws_s3_bucket\.media_bucket_/, severity: 'RED' },
  },
];

/** Fixtures plan different stack directories against one read-only state: a few run at once. */
const CONCURRENCY = 3;

describe.skipIf(skipReason !== undefined)(
  'plan review fixtures (--against mechanism, real Terraform)',
  () => {
    const runs = new Map<string, ReturnType<typeof runFixture>>();
    beforeAll(async () => {
      await convergedBaseline();
      // Start the fixtures CONCURRENCY at a time; each test awaits its own.
      const queue = [...fixtures];
      const next = (): void => {
        const f = queue.shift();
        if (!f) return;
        const run = runFixture(f);
        runs.set(f.name, run);
        run.then(next, next);
      };
      for (let i = 0; i < CONCURRENCY; i++) next();
    }, 3_600_000);

    // What each fixture planned and decided, printed for the record (docs/plan-review.md table).
    afterAll(async () => {
      const rows = [];
      for (const f of fixtures) {
        const run = await runs.get(f.name)?.catch(() => undefined);
        if (run)
          rows.push(
            `${f.name.padEnd(42)} ${f.verdict.padEnd(10)} ${run.review.verdict.padEnd(10)} exit ${run.review.exitCode}  plan ${(run.planMs / 1000).toFixed(0).padStart(4)} s  review ${run.reviewMs.toFixed(0).padStart(5)} ms  ${Object.entries(
              run.outcomes,
            )
              .filter(([, o]) => o !== 'unchanged')
              .map(([s, o]) => `${s}:${o}`)
              .join(' ')}`,
          );
      }
      console.log(`fixture expected actual\n${rows.join('\n')}`);
    });

    for (const f of fixtures) {
      it(`${f.name}: ${f.verdict} (exit ${f.exitCode})`, { timeout: 3_600_000 }, async () => {
        while (!runs.has(f.name)) await new Promise((resolve) => setTimeout(resolve, 1000));
        const { review } = await (runs.get(f.name) as ReturnType<typeof runFixture>);
        expect(review.errors).toEqual([]);
        expect([review.verdict, review.exitCode], review.headline).toEqual([f.verdict, f.exitCode]);
        if (f.finding) {
          const { rule, address, severity } = f.finding;
          const item = review.items.find((i) => i.rule === rule && address.test(i.address));
          expect(
            item,
            JSON.stringify(review.items.map((i) => [i.severity, i.rule, i.address])),
          ).toBeDefined();
          expect(item?.severity).toBe(severity);
        }
      });
    }
  },
);
