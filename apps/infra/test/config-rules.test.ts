import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import {
  ConfigError,
  type EnvironmentInput,
  loadEnvironment,
  selectEnvironments,
} from '../src/config/index.js';
import { prod } from '../src/config/prod.js';
import { bootstrapBackendFromEnv, environmentSelector } from '../src/selection.js';

/** The ConfigError of an input, as `path: message` lines. */
function issues(input: EnvironmentInput): string[] {
  try {
    loadEnvironment(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const withNetwork = (
  base: EnvironmentInput,
  network: Partial<EnvironmentInput['network']>,
): EnvironmentInput => ({
  ...structuredClone(base),
  network: { ...structuredClone(base.network), ...network },
});

describe('environment config rules (each names the field)', () => {
  it('dev and prod as shipped are valid', () => {
    expect(issues(dev)).toEqual([]);
    expect(issues(prod)).toEqual([]);
  });

  it('overlapping subnets', () => {
    const found = issues(withNetwork(dev, { appSubnetCidrs: ['10.0.0.128/25', '10.0.3.0/24'] }));
    expect(found).toContainEqual(
      expect.stringMatching(/^network\.appSubnetCidrs\[0\]: 10\.0\.0\.128\/25 overlaps 10\.0\.0\.0\/24/),
    );
  });

  it('one AZ in prod', () => {
    const oneAz: EnvironmentInput = {
      ...withNetwork(prod, {
        publicSubnetCidrs: ['10.0.0.0/24'],
        appSubnetCidrs: ['10.0.2.0/24'],
        dataSubnetCidrs: ['10.0.4.0/24'],
      }),
      availabilityZones: ['ap-southeast-1a'],
    };
    expect(issues(oneAz)).toContainEqual('availabilityZones: prod needs at least two availability zones');
  });

  it('AZ not in the region', () => {
    const found = issues({ ...structuredClone(dev), availabilityZones: ['ap-southeast-1a', 'us-east-1b'] });
    expect(found).toContainEqual(
      'availabilityZones[1]: "us-east-1b" is not an availability zone of region ap-southeast-1',
    );
  });

  it('subnet outside the VPC, and one subnet per AZ per tier', () => {
    const found = issues(
      withNetwork(dev, {
        dataSubnetCidrs: ['10.0.4.0/24', '10.1.5.0/24'],
        publicSubnetCidrs: ['10.0.0.0/24'],
      }),
    );
    expect(found).toContainEqual(
      'network.dataSubnetCidrs[1]: 10.1.5.0/24 is outside the VPC block 10.0.0.0/16',
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^network\.publicSubnetCidrs: needs exactly one subnet per availability zone \(2\), got 1/,
      ),
    );
  });

  it('invalid CIDR', () => {
    expect(issues(withNetwork(dev, { vpcCidr: '10.0.0.1/16' }))).toContainEqual(
      expect.stringMatching(/^network\.vpcCidr: .*host bits set/),
    );
  });

  it('names AWS would refuse', () => {
    expect(
      issues({ ...structuredClone(dev), dns: { ...dev.dns, domainName: 'Bandup_Example.com' } }),
    ).toContainEqual('dns.domainName: must be a lower-case DNS name');
    expect(issues({ ...structuredClone(dev), accountId: '1234' })).toContainEqual(
      'accountId: must be a 12-digit AWS account id',
    );
    const longTag = {
      ...structuredClone(dev),
      ecs: { ...structuredClone(dev.ecs), backendDatabaseUser: 'Has-Dash' },
    };
    expect(issues(longTag)).toContainEqual(
      'ecs.backendDatabaseUser: must be a PostgreSQL role name (lower case, digits, _; at most 57)',
    );
  });

  it('a broken config fails `node dist/main.js` (synth) with the field in the message', () => {
    const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/synth-broken-config.ts'], {
      cwd: infraDir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Invalid configuration for environment "prod"/);
    expect(run.stderr).toMatch(/availabilityZones: prod needs at least two availability zones/);
  });
});

describe('selecting environments', () => {
  it('all by default; BANDUP_ENV narrows; the CDKTF context key env narrows when BANDUP_ENV is unset', () => {
    expect(selectEnvironments(environmentSelector({})).map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(selectEnvironments(environmentSelector({ BANDUP_ENV: 'prod' })).map((e) => e.name)).toEqual([
      'prod',
    ]);
    expect(environmentSelector({ CDKTF_CONTEXT_JSON: JSON.stringify({ env: 'dev' }) })).toBe('dev');
    expect(
      environmentSelector({ BANDUP_ENV: 'prod', CDKTF_CONTEXT_JSON: JSON.stringify({ env: 'dev' }) }),
    ).toBe('prod');
    expect(() => environmentSelector({ CDKTF_CONTEXT_JSON: JSON.stringify({ env: 3 }) })).toThrow(
      /context "env" must be a string/,
    );
    expect(() => selectEnvironments('qa')).toThrow(/Unknown environment "qa".*known: dev, prod/);
  });

  it('bootstrap backend switch', () => {
    expect(bootstrapBackendFromEnv({})).toBe('local');
    expect(bootstrapBackendFromEnv({ BANDUP_BOOTSTRAP_BACKEND: 's3' })).toBe('s3');
    expect(() => bootstrapBackendFromEnv({ BANDUP_BOOTSTRAP_BACKEND: 'gcs' })).toThrow(
      /must be "local" or "s3"/,
    );
  });
});
