import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { dev } from '../src/config/dev.js';
import { selectEnvironments } from '../src/config/index.js';
import { loadEnvironment } from '../src/config/load.js';
import { prod } from '../src/config/prod.js';
import type { BootstrapBackend } from '../src/stacks/bootstrap-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
type Json = Record<string, any>;

function synthAll(bootstrapBackend?: BootstrapBackend, environments = selectEnvironments(undefined)) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-backend-test-'));
  buildApp({ environments, outdir, bootstrapBackend }).app.synth();
  const ids = readdirSync(path.join(outdir, 'stacks'));
  const read = (id: string) =>
    JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Json;
  return { ids, read };
}

describe('state backends (deploy mode, full app synth)', () => {
  const { ids, read } = synthAll();

  it('writes bandup-bootstrap and a network stack per environment', () => {
    for (const id of ['bandup-bootstrap', 'bandup-dev-network', 'bandup-prod-network'])
      expect(ids).toContain(id);
  });

  it('every environment stack: S3 backend, key <env>/<stack>.tfstate, encrypted, use_lockfile, Terraform >= 1.10', () => {
    const envStacks = ids.filter((id) => id !== 'bandup-bootstrap');
    expect(envStacks.length).toBeGreaterThanOrEqual(2);
    for (const id of envStacks) {
      const [, env, ...rest] = id.split('-');
      const tf = read(id).terraform;
      expect(tf.backend.s3, id).toMatchObject({
        bucket: 'bandup-tfstate-111111111111-ap-southeast-1',
        key: `${env}/${rest.join('-')}.tfstate`,
        encrypt: true,
        use_lockfile: true,
        kms_key_id: 'alias/bandup-tfstate',
      });
      expect(tf.backend.local, id).toBeUndefined();
      expect(tf.required_version).toBe('>= 1.10');
    }
  });

  it('providers refuse other accounts in deploy mode, with no mock credentials', () => {
    const provider = read('bandup-dev-network').provider.aws[0];
    expect(provider.allowed_account_ids).toEqual(['111111111111']);
    expect(provider.access_key).toBeUndefined();
    expect(provider.skip_credentials_validation).toBeUndefined();
  });

  it('bootstrap: local state at the repo root, state bucket protected', () => {
    const boot = read('bandup-bootstrap');
    expect(boot.terraform.backend).toEqual({
      local: { path: '../../../terraform.bandup-bootstrap.tfstate' },
    });
    const bucket = Object.values(boot.resource.aws_s3_bucket)[0] as Json;
    expect(bucket.bucket).toBe('bandup-tfstate-111111111111-ap-southeast-1');
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
    const key = Object.values(boot.resource.aws_kms_key)[0] as Json;
    expect(key.enable_key_rotation).toBe(true);
    expect(Object.values(boot.resource.aws_kms_alias).map((a) => (a as Json).name)).toEqual([
      'alias/bandup-tfstate',
    ]);
    const sse = Object.values(boot.resource.aws_s3_bucket_server_side_encryption_configuration)[0] as Json;
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    const lifecycle = Object.values(boot.resource.aws_s3_bucket_lifecycle_configuration)[0] as Json;
    expect(
      lifecycle.rule.some((r: Json) => r.noncurrent_version_expiration?.[0]?.noncurrent_days === 90),
    ).toBe(true);
  });

  it('bootstrap after migration (BANDUP_BOOTSTRAP_BACKEND=s3): its own bucket, key bootstrap.tfstate', () => {
    const migrated = synthAll('s3', [loadEnvironment(dev)]);
    expect(migrated.read('bandup-bootstrap').terraform.backend.s3).toMatchObject({
      bucket: 'bandup-tfstate-111111111111-ap-southeast-1',
      key: 'bootstrap.tfstate',
      use_lockfile: true,
      encrypt: true,
    });
  });

  it('separate accounts get one bootstrap stack each', () => {
    const other = loadEnvironment({ ...prod, accountId: '222222222222' });
    const split = synthAll(undefined, [loadEnvironment(dev), other]);
    expect(split.ids).toContain('bandup-bootstrap-111111111111');
    expect(split.ids).toContain('bandup-bootstrap-222222222222');
    expect(split.read('bandup-prod-network').terraform.backend.s3.bucket).toBe(
      'bandup-tfstate-222222222222-ap-southeast-1',
    );
  });
});
