import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { SecureBucket } from '../src/constructs/data/secure-bucket.js';
import { renderPolicy } from '../src/constructs/security/iam/policy-document.js';
import { EncryptionKey } from '../src/constructs/security/kms-key.js';
import { applyPolicies, markInternetFacingLoadBalancerGroup } from '../src/policies/index.js';
import { EnvironmentStack } from '../src/stacks/environment-stack.js';
import { devConfig } from './network-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
type Json = Record<string, any>;

/** Builds one stack with `build`, applies the policies and runs a full synth (which honours errors). */
function synthWith(build: (stack: EnvironmentStack) => void, options: { aspectsTwice?: boolean } = {}): Json {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-policy-test-'));
  const app = new App({ outdir });
  const stack = new EnvironmentStack(app, 'policy', { config: devConfig(), mode: { kind: 'deploy' } });
  build(stack);
  applyPolicies(app);
  if (options.aspectsTwice) applyPolicies(app);
  app.synth();
  return JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Json;
}

const key = (s: EnvironmentStack) =>
  new EncryptionKey(s, 'key', {
    accountId: '111111111111',
    region: 'ap-southeast-1',
    alias: 'test',
    description: 't',
    viaServices: ['s3'],
  });
const policy = (statements: Parameters<typeof renderPolicy>[0]) => renderPolicy(statements);

describe('policy: S3 buckets', () => {
  it('accepts a SecureBucket (encryption, public access block, TLS-only policy)', () => {
    expect(() =>
      synthWith((s) => {
        new SecureBucket(s, 'ok', {
          bucketName: 'bandup-test-ok',
          encryption: key(s),
          noncurrentVersionExpirationDays: 30,
          preventDestroy: false,
        });
      }),
    ).not.toThrow();
  });

  it('rejects a bare bucket for each missing protection, naming the path and the rule', () => {
    const run = () => synthWith((s) => new S3Bucket(s, 'bare', { bucket: 'bandup-test-bare' }));
    expect(run).toThrow(/\[bandup-dev-policy\/bare\] s3-encryption/);
    expect(run).toThrow(/\[bandup-dev-policy\/bare\] s3-public-access-block/);
    expect(run).toThrow(/\[bandup-dev-policy\/bare\] s3-tls-only/);
  });

  it('rejects a partial public access block and a policy without the TLS deny', () => {
    const run = () =>
      synthWith((s) => {
        const b = new S3Bucket(s, 'partial', { bucket: 'bandup-test-partial' });
        new S3BucketServerSideEncryptionConfigurationA(s, 'sse', {
          bucket: b.id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        });
        new S3BucketPublicAccessBlock(s, 'pab', {
          bucket: b.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
        });
        new S3BucketPolicy(s, 'pol', {
          bucket: b.id,
          policy: policy([
            { effect: 'Deny', principals: '*', actions: ['s3:DeleteBucket'], resources: [b.arn] },
          ]),
        });
      });
    expect(run).toThrow(/s3-public-access-block/);
    expect(run).toThrow(/s3-tls-only/);
    expect(run).not.toThrow(/s3-encryption/);
  });
});

describe('policy: security group ingress from the internet', () => {
  const open = (s: EnvironmentStack, group: SecurityGroup, port: number, id = `r${port}`) =>
    new VpcSecurityGroupIngressRule(s, id, {
      securityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrIpv4: '0.0.0.0/0',
    });

  it('allows 80 and 443 from anywhere on a marked load balancer group', () => {
    expect(() =>
      synthWith((s) => {
        const alb = new SecurityGroup(s, 'alb', { name: 'alb', vpcId: 'vpc-1' });
        markInternetFacingLoadBalancerGroup(alb);
        open(s, alb, 80);
        open(s, alb, 443);
      }),
    ).not.toThrow();
  });

  it('rejects another port on the load balancer group, and 443 on any other group', () => {
    expect(() =>
      synthWith((s) => {
        const alb = new SecurityGroup(s, 'alb', { name: 'alb', vpcId: 'vpc-1' });
        markInternetFacingLoadBalancerGroup(alb);
        open(s, alb, 22);
      }),
    ).toThrow(/\[bandup-dev-policy\/r22\] sg-public-ingress/);
    expect(() =>
      synthWith((s) => open(s, new SecurityGroup(s, 'tasks', { name: 'tasks', vpcId: 'vpc-1' }), 443)),
    ).toThrow(/sg-public-ingress.*not an internet-facing load balancer group/);
  });

  it('checks inline ingress blocks (IPv6 too) and aws_security_group_rule', () => {
    expect(() =>
      synthWith(
        (s) =>
          new SecurityGroup(s, 'inline', {
            name: 'inline',
            vpcId: 'vpc-1',
            ingress: [{ fromPort: 5432, toPort: 5432, protocol: 'tcp', ipv6CidrBlocks: ['::/0'] }],
          }),
      ),
    ).toThrow(/\[bandup-dev-policy\/inline\] sg-public-ingress: .*::\/0/);
    expect(() =>
      synthWith((s) => {
        const g = new SecurityGroup(s, 'g', { name: 'g', vpcId: 'vpc-1' });
        new SecurityGroupRule(s, 'legacy', {
          type: 'ingress',
          securityGroupId: g.id,
          protocol: 'tcp',
          fromPort: 0,
          toPort: 65535,
          cidrBlocks: ['0.0.0.0/0'],
        });
      }),
    ).toThrow(/\[bandup-dev-policy\/legacy\] sg-public-ingress/);
    expect(() =>
      synthWith((s) => {
        const g = new SecurityGroup(s, 'g', { name: 'g', vpcId: 'vpc-1' });
        new SecurityGroupRule(s, 'internal', {
          type: 'ingress',
          securityGroupId: g.id,
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ['10.0.0.0/16'],
        });
      }),
    ).not.toThrow();
  });
});

describe('policy: log groups', () => {
  it('accepts retention + KMS, rejects either missing', () => {
    expect(() =>
      synthWith(
        (s) => new CloudwatchLogGroup(s, 'ok', { name: 'ok', retentionInDays: 14, kmsKeyId: key(s).arn }),
      ),
    ).not.toThrow();
    expect(() =>
      synthWith((s) => new CloudwatchLogGroup(s, 'forever', { name: 'f', kmsKeyId: key(s).arn })),
    ).toThrow(/\[bandup-dev-policy\/forever\] log-group-retention/);
    expect(() =>
      synthWith((s) => new CloudwatchLogGroup(s, 'plain', { name: 'p', retentionInDays: 14 })),
    ).toThrow(/\[bandup-dev-policy\/plain\] log-group-kms/);
  });
});

describe('policy: IAM statements', () => {
  const managed = (statements: Parameters<typeof renderPolicy>[0]) => (s: EnvironmentStack) =>
    new IamPolicy(s, 'p', { name: 'p', policy: policy(statements) });

  it('rejects Action "*" and service wildcards', () => {
    expect(() => synthWith(managed([{ actions: ['*'], resources: ['arn:aws:s3:::b'] }]))).toThrow(
      /\[bandup-dev-policy\/p\] iam-wildcard-action: .*"\*"/,
    );
    expect(() => synthWith(managed([{ actions: ['s3:*'], resources: ['arn:aws:s3:::b'] }]))).toThrow(
      /iam-wildcard-action: .*"s3:\*"/,
    );
  });

  it('rejects Resource "*" unless every action is allow-listed', () => {
    expect(() => synthWith(managed([{ actions: ['s3:GetObject'], resources: ['*'] }]))).toThrow(
      /\[bandup-dev-policy\/p\] iam-wildcard-resource: .*s3:GetObject/,
    );
    expect(() =>
      synthWith(
        managed([{ actions: ['xray:PutTraceSegments', 'ecr:GetAuthorizationToken'], resources: ['*'] }]),
      ),
    ).not.toThrow();
    expect(() =>
      synthWith(managed([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }])),
    ).not.toThrow();
  });

  it('checks resource policies (JSON strings) and lets KMS key policies use Resource "*" (this key)', () => {
    expect(() =>
      synthWith((s) => {
        const b = new SecureBucket(s, 'b', {
          bucketName: 'bandup-test-b',
          encryption: key(s),
          noncurrentVersionExpirationDays: 30,
          preventDestroy: false,
        });
        b.addToResourcePolicy({
          principals: { AWS: 'arn:aws:iam::111111111111:root' },
          actions: ['s3:GetObject'],
          resources: ['*'],
        });
      }),
    ).toThrow(/\[bandup-dev-policy\/b\/policy\] iam-wildcard-resource/);
    // EncryptionKey's policy is all Resource "*": accepted.
    expect(() => synthWith((s) => key(s))).not.toThrow();
  });

  it('allows broad Deny statements (the TLS-only deny uses Action "*")', () => {
    expect(() =>
      synthWith(
        managed([
          { effect: 'Deny', actions: ['*'], resources: ['*'] },
          { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:ap-southeast-1:111111111111:q'] },
        ]),
      ),
    ).not.toThrow();
  });
});

describe('policy: encryption at rest and in transit', () => {
  const cases: [string, (s: EnvironmentStack) => void, (s: EnvironmentStack) => void][] = [
    [
      'SNS topic',
      (s) => new SnsTopic(s, 'bad', { name: 't' }),
      (s) => new SnsTopic(s, 'good', { name: 't', kmsMasterKeyId: key(s).arn }),
    ],
    [
      'SQS queue',
      (s) => new SqsQueue(s, 'bad', { name: 'q', sqsManagedSseEnabled: false }),
      (s) => new SqsQueue(s, 'good', { name: 'q', kmsMasterKeyId: key(s).arn }),
    ],
    [
      'DynamoDB table',
      (s) =>
        new DynamodbTable(s, 'bad', {
          name: 't',
          hashKey: 'id',
          attribute: [{ name: 'id', type: 'S' }],
          billingMode: 'PAY_PER_REQUEST',
        }),
      (s) =>
        new DynamodbTable(s, 'good', {
          name: 't',
          hashKey: 'id',
          attribute: [{ name: 'id', type: 'S' }],
          billingMode: 'PAY_PER_REQUEST',
          serverSideEncryption: { enabled: true, kmsKeyArn: key(s).arn },
        }),
    ],
    [
      'RDS instance',
      (s) =>
        new DbInstance(s, 'bad', { instanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: 20 }),
      (s) =>
        new DbInstance(s, 'good', {
          instanceClass: 'db.t4g.micro',
          engine: 'postgres',
          allocatedStorage: 20,
          storageEncrypted: true,
        }),
    ],
    [
      'ElastiCache replication group',
      (s) =>
        new ElasticacheReplicationGroup(s, 'bad', {
          replicationGroupId: 'c',
          description: 'c',
          atRestEncryptionEnabled: 'true',
        }),
      (s) =>
        new ElasticacheReplicationGroup(s, 'good', {
          replicationGroupId: 'c',
          description: 'c',
          atRestEncryptionEnabled: 'true',
          transitEncryptionEnabled: true,
        }),
    ],
  ];
  for (const [what, bad, good] of cases) {
    it(`${what}: rejects unencrypted, accepts encrypted`, () => {
      expect(() => synthWith(bad)).toThrow(/\[bandup-dev-policy\/bad\] encryption-(at-rest|in-transit)/);
      expect(() => synthWith(good)).not.toThrow();
    });
  }

  it('ElastiCache without at-rest encryption is named as such', () => {
    expect(() =>
      synthWith(
        (s) =>
          new ElasticacheReplicationGroup(s, 'bad', {
            replicationGroupId: 'c',
            description: 'c',
            transitEncryptionEnabled: true,
          }),
      ),
    ).toThrow(/encryption-at-rest/);
  });
});

describe('policy: tagging', () => {
  it('keeps Project, Environment, Stack, ManagedBy on the provider default_tags, idempotently', () => {
    const stack = synthWith((s) => key(s), { aspectsTwice: true });
    expect(stack.provider.aws[0].default_tags).toEqual([
      { tags: { Project: 'bandup', Environment: 'dev', Stack: 'bandup-dev-policy', ManagedBy: 'cdktf' } },
    ]);
  });

  it('each violation is reported once even when the Aspects are applied twice', () => {
    try {
      synthWith((s) => new CloudwatchLogGroup(s, 'plain', { name: 'p', retentionInDays: 14 }), {
        aspectsTwice: true,
      });
      expect.unreachable('synth should fail');
    } catch (error) {
      expect(String(error).match(/log-group-kms/g)).toHaveLength(1);
    }
  });
});
