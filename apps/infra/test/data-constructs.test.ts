import { App, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { loadEnvironment } from '../src/config/index.js';
import { AppSecrets, putValueCommand } from '../src/constructs/containers/app-secrets.js';
import { denyForeignEncryption } from '../src/constructs/data/deny-foreign-encryption.js';
import { ValkeyCache } from '../src/constructs/data/valkey-cache.js';
import {
  albLogDeliveryStatement,
  ELB_LOG_DELIVERY_ACCOUNTS,
} from '../src/constructs/observability/log-delivery-policies.js';
import { DataStack } from '../src/stacks/data/data-stack.js';

const config = loadEnvironment(dev);
const network = (data: string[]) => ({
  subnetIds: { data, app: ['subnet-app-a', 'subnet-app-b'] },
  securityGroups: { database: { id: 'sg-db' }, cache: { id: 'sg-cache' }, lambda: { id: 'sg-fn' } },
});
const cacheProps = {
  name: 'bandup-dev-cache',
  accountId: '111111111111',
  region: 'ap-southeast-1',
  engineVersion: '8.0',
  nodeType: 'cache.t3.micro',
  replicas: 0,
  availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'],
  subnetIds: ['a', 'b'],
  securityGroupIds: ['sg'],
  dataKey: { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/data' },
  logsKey: { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/logs' },
  logRetentionDays: 14,
  snapshotRetentionDays: 1,
  snapshotWindow: '17:00-18:00',
  maintenanceWindow: 'sun:20:00-sun:21:00',
  protect: false,
};

describe('data stack inputs', () => {
  it('refuses a network without one data subnet per AZ, naming both counts', () => {
    expect(
      () => new DataStack(new App(), { config, mode: { kind: 'deploy' }, network: network(['only-one']) }),
    ).toThrow('Data stack dev: expected one data subnet per availability zone (2), the network has 1');
  });

  it('ValkeyCache refuses replicas in one AZ and over-long ids', () => {
    const stack = () => new TerraformStack(new App(), 's');
    expect(
      () =>
        new ValkeyCache(stack(), 'c', { ...cacheProps, replicas: 1, availabilityZones: ['ap-southeast-1a'] }),
    ).toThrow('Cache bandup-dev-cache: 1 replica(s) need at least two availability zones for Multi-AZ');
    expect(() => new ValkeyCache(stack(), 'c', { ...cacheProps, name: 'x'.repeat(41) })).toThrow(
      /replication group ids have at most 40 characters/,
    );
  });

  it('AppSecrets refuses a recovery window Secrets Manager would reject', () => {
    const make = (days: number) =>
      new AppSecrets(new TerraformStack(new App(), 's'), 'secrets', {
        secrets: { jwt: { name: 'bandup/dev/backend/jwt', description: 'JWT' } },
        kmsKeyArn: 'arn:aws:kms:ap-southeast-1:111111111111:key/k',
        recoveryWindowDays: days,
        protect: false,
        region: 'ap-southeast-1',
      });
    expect(() => make(3)).toThrow('Secrets: recoveryWindowDays must be 0 or 7-30, got 3');
    expect(() => make(31)).toThrow('Secrets: recoveryWindowDays must be 0 or 7-30, got 31');
    expect(make(30).secrets.jwt?.name).toBe('bandup/dev/backend/jwt');
    expect(make(7).secrets.jwt?.name).toBe('bandup/dev/backend/jwt');
    expect(make(0).secrets.jwt?.name).toBe('bandup/dev/backend/jwt');
  });
});

describe('operator commands and resource policies', () => {
  it('put-secret-value reads the value from a file, never from the command line', () => {
    const command = putValueCommand(
      { name: 'bandup/dev/backend/oauth', description: 'OAuth', jsonKeys: ['clientId', 'clientSecret'] },
      'ap-southeast-1',
    );
    expect(command).toContain('--secret-id bandup/dev/backend/oauth --secret-string file://value.txt');
    expect(command).toContain('{"clientId":...,"clientSecret":...}');
  });

  it('ALB log delivery: the ELB account in legacy regions, the service principal in newer ones', () => {
    const props = { accountId: '111111111111', bucketArn: 'arn:aws:s3:::b', prefix: 'alb' };
    expect(ELB_LOG_DELIVERY_ACCOUNTS['ap-southeast-1']).toBe('114774131450');
    expect(albLogDeliveryStatement({ ...props, region: 'ap-southeast-1' })).toMatchObject({
      principals: { AWS: 'arn:aws:iam::114774131450:root' },
      resources: ['arn:aws:s3:::b/alb/AWSLogs/111111111111/*'],
    });
    // ap-southeast-5 (Malaysia) opened after August 2022.
    expect(albLogDeliveryStatement({ ...props, region: 'ap-southeast-5' }).principals).toEqual({
      Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
    });
  });

  it('uploads may name no encryption (bucket default) but never another one', () => {
    const [otherAlgorithm, otherKey, customerKey] = denyForeignEncryption('arn:aws:s3:::b', 'arn:key');
    // Deny only when the header is present (Null = false) and differs: absent headers get the default key.
    expect(otherAlgorithm?.conditions).toEqual({
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
    expect(otherKey?.conditions?.StringNotEquals).toEqual({
      's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:key',
    });
    expect(customerKey?.conditions).toEqual({
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
    for (const s of [otherAlgorithm, otherKey, customerKey]) expect(s?.effect).toBe('Deny');
  });
});
