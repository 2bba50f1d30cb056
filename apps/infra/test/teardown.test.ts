import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import {
  dataKeyAddress,
  destroyOrder,
  environmentStacks,
  protectionBlockers,
  teardownSteps,
} from '../src/teardown/teardown-plan.js';
import type { Json } from './app-fixture.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let outdir: string;
let manifest: Json;
const read = (id: string) =>
  JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Json;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'bandup-teardown-test-'));
  buildApp({ environments: selectEnvironments(undefined), outdir }).app.synth();
  manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Json;
});

describe('teardown order', () => {
  it.each(['dev', 'prod'])('%s: every stack is destroyed before each stack it reads from', (env) => {
    const deps = environmentStacks(manifest, env);
    expect(Object.keys(deps).length).toBeGreaterThanOrEqual(6);
    const order = destroyOrder(deps);
    expect([...order].sort()).toEqual(Object.keys(deps).sort());
    for (const [stack, dependsOn] of Object.entries(deps))
      for (const d of dependsOn)
        expect(order.indexOf(stack), `${stack} before ${d}`).toBeLessThan(order.indexOf(d));
    // The cross-stack references that matter really are dependencies in the manifest.
    expect(deps[`bandup-${env}-app`]).toEqual(
      expect.arrayContaining([`bandup-${env}-network`, `bandup-${env}-data`, `bandup-${env}-ai`]),
    );
  });

  it('docs/teardown.md lists exactly the order the script computes', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'teardown.md'), 'utf8');
    const listed = [...doc.matchAll(/^\d+\. `bandup-<env>-(\w+)`/gm)].map((m) => `bandup-dev-${m[1]}`);
    expect(listed).toEqual(destroyOrder(environmentStacks(manifest, 'dev')));
  });

  it('refuses a dependency cycle, naming the stacks', () => {
    expect(() => destroyOrder({ a: ['b'], b: ['a'], c: [] })).toThrow('Stack dependency cycle among a, b');
  });
});

describe('protection', () => {
  it('dev: nothing blocks a destroy or a re-create', () => {
    const order = destroyOrder(environmentStacks(manifest, 'dev'));
    expect(order.flatMap((id) => protectionBlockers(id, read(id)))).toEqual([]);
  });

  it('prod: the script refuses, naming what protects the data', () => {
    const order = destroyOrder(environmentStacks(manifest, 'prod'));
    const blockers = order.flatMap((id) => protectionBlockers(id, read(id)));
    const has = (pattern: RegExp) =>
      expect(
        blockers.some((b) => pattern.test(b)),
        String(pattern),
      ).toBe(true);
    has(/bandup-prod-data: aws_db_instance\.\S+ has deletion_protection/);
    has(/bandup-prod-data: aws_db_instance\.\S+ has lifecycle\.prevent_destroy/);
    has(/bandup-prod-data: aws_kms_key\.\S+ has lifecycle\.prevent_destroy/);
    has(/bandup-prod-data: aws_s3_bucket\.\S+ is not force_destroy/);
    has(/bandup-prod-data: aws_secretsmanager_secret\.\S+ is kept 30 days/);
    has(/bandup-prod-app: aws_lb\.\S+ has enable_deletion_protection/);
  });

  it('flags a fixed final snapshot name (the second destroy would fail)', () => {
    const stack = {
      resource: {
        aws_db_instance: { db: { skip_final_snapshot: false, final_snapshot_identifier: 'x-final' } },
      },
    };
    expect(protectionBlockers('s', stack)).toEqual([
      's: aws_db_instance.db has a fixed final snapshot name: a second destroy would fail on it',
    ]);
  });
});

describe('teardown steps', () => {
  it('destroys in order; with --keep-snapshot, snapshots first and keeps the data key out of the destroy', () => {
    const order = destroyOrder(environmentStacks(manifest, 'dev'));
    const key = dataKeyAddress(read('bandup-dev-data'), 'dev');
    expect(key).toMatch(/^aws_kms_key\./);
    expect(read('bandup-dev-data').resource.aws_kms_key[key.split('.')[1] as string].description).toMatch(
      /data at rest/,
    );
    const steps = teardownSteps({
      env: 'dev',
      stacksDir: 'cdktf.out/stacks',
      order,
      region: 'ap-southeast-1',
      keepSnapshot: { dbInstance: 'bandup-dev-postgres', stamp: '20261129-1300', dataKeyAddress: key },
    });
    const commands = steps.map((s) => s.command.join(' '));
    expect(commands[0]).toBe(
      'aws rds create-db-snapshot --region ap-southeast-1 --db-instance-identifier bandup-dev-postgres --db-snapshot-identifier bandup-dev-postgres-teardown-20261129-1300',
    );
    expect(commands[1]).toMatch(/^aws rds wait db-snapshot-available /);
    expect(commands[3]).toBe(`terraform -chdir=cdktf.out/stacks/bandup-dev-data state rm ${key}`);
    const destroys = commands
      .filter((c) => c.includes(' destroy '))
      .map((c) => /stacks\/([\w-]+)/.exec(c)?.[1]);
    expect(destroys).toEqual(order);
    const plain = teardownSteps({ env: 'dev', stacksDir: 'd', order, region: 'ap-southeast-1' });
    expect(plain.some((s) => s.command[0] === 'aws')).toBe(false);
  });
});
