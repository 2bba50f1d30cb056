import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { App } from 'cdktf';
import type { EnvironmentConfig } from '../src/config/index.js';
import { SecureBucket } from '../src/constructs/data/secure-bucket.js';
import type { Grantee } from '../src/constructs/security/iam/policy-document.js';
import { EncryptionKey } from '../src/constructs/security/kms-key.js';
import { AppStack } from '../src/stacks/app/app-stack.js';
import { EnvironmentStack } from '../src/stacks/environment-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
export type Json = Record<string, any>;

/** Route the test double of the AI stack grants: one literal ARN, easy to find in the policy. */
export const FAKE_INVOKE_ARN =
  'arn:aws:execute-api:ap-southeast-1:111111111111:fakeapi/v1/POST/v1/writing/assessments';
export const FAKE_JOB_EVENTS_QUEUE_URL =
  'https://sqs.ap-southeast-1.amazonaws.com/111111111111/bandup-test-backend-job-events.fifo';
export const FAKE_JOB_EVENTS_QUEUE_ARN =
  'arn:aws:sqs:ap-southeast-1:111111111111:bandup-test-backend-job-events.fifo';

/**
 * Synthesizes the app stack of each environment against a small upstream stack that stands in for
 * the network, data and AI stacks (real resources, so every value crosses stacks as a real CDKTF
 * reference: outputs plus remote state), and returns the parsed `cdk.tf.json` of each app stack.
 */
export function synthAppWithUpstreamDouble(configs: readonly EnvironmentConfig[]): Record<string, Json> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-app-test-'));
  const app = new App({ outdir });
  const mode = { kind: 'offline', stateDir: path.join(outdir, 'state') } as const;
  const ids: string[] = [];
  for (const config of configs) {
    const up = new EnvironmentStack(app, 'upstream', { config, mode });
    const vpc = new Vpc(up, 'vpc', { cidrBlock: config.network.vpcCidr });
    const subnet = (id: string, cidr: string, i: number) =>
      new Subnet(up, id, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: config.availabilityZones[i] })
        .id;
    const group = (id: string) => new SecurityGroup(up, `sg-${id}`, { vpcId: vpc.id, name: `test-${id}` });
    const key = (id: string) =>
      new EncryptionKey(up, `key-${id}`, {
        accountId: config.accountId,
        region: config.region,
        alias: `test-${id}`,
        description: id,
        viaServices: ['s3', 'secretsmanager'],
      });
    const keys = { data: key('data'), logs: key('logs'), secrets: key('secrets') };
    const bucket = (id: string) =>
      new SecureBucket(up, `bucket-${id}`, {
        bucketName: `test-${config.name}-${id}-${config.accountId}`,
        encryption: keys.data,
        noncurrentVersionExpirationDays: 30,
        preventDestroy: false,
      });
    const secret = (id: string) => ({
      arn: new SecretsmanagerSecret(up, `secret-${id}`, { name: `test-${id}`, kmsKeyId: keys.secrets.arn })
        .arn,
    });
    const stack = new AppStack(app, {
      config,
      mode,
      network: {
        vpcId: vpc.id,
        subnetIds: {
          public: config.network.publicSubnetCidrs.map((cidr, i) => subnet(`public-${i}`, cidr, i)),
          app: config.network.appSubnetCidrs.map((cidr, i) => subnet(`app-${i}`, cidr, i)),
        },
        securityGroups: { alb: group('alb'), frontend: group('frontend'), backend: group('backend') },
      },
      data: {
        keys,
        buckets: { media: bucket('media'), albLogs: bucket('alb-logs') },
        database: {
          address: 'db.test.internal',
          port: 5432,
          name: 'band_up',
          appCredentialsSecretArn: secret('database-app').arn,
        },
        mediaCdn: { domainName: 'd111111abcdef8.cloudfront.net' },
        cache: {
          primaryEndpoint: 'cache.test.internal',
          port: 6379,
          authTokenSecretArn: secret('cache-auth').arn,
        },
        secrets: {
          backend: {
            jwt: secret('jwt'),
            oauth: secret('oauth'),
            mail: secret('mail'),
            payment: secret('payment'),
          },
        },
      },
      ai: {
        api: { invokeUrl: 'https://fakeapi.execute-api.ap-southeast-1.amazonaws.com/v1' },
        apiKeySecretArn: secret('ai-api-key').arn,
        grantInvokeApi: (grantee: Grantee) =>
          grantee.addToPolicy({ actions: ['execute-api:Invoke'], resources: [FAKE_INVOKE_ARN] }),
        jobEventsQueueUrl: FAKE_JOB_EVENTS_QUEUE_URL,
        grantReceiveJobEvents: (grantee: Grantee) =>
          grantee.addToPolicy({ actions: ['sqs:ReceiveMessage'], resources: [FAKE_JOB_EVENTS_QUEUE_ARN] }),
      },
    });
    ids.push(stack.node.id);
  }
  app.synth();
  return Object.fromEntries(
    ids.map((id) => [
      id,
      JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Json,
    ]),
  );
}

/** The resources of one type, keyed by logical id. */
export function resourcesOf(stack: Json, type: string): Record<string, Json> {
  return (stack.resource?.[type] ?? {}) as Record<string, Json>;
}

/** `${aws_x.name.attr}` → the logical id `name`, for matching references. */
export function refId(token: string, type: string): string | undefined {
  return new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(token)?.[1];
}
