import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionName, FunctionSpec } from '@bandup/shared';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { App } from 'cdktf';
import type { EnvironmentConfig } from '../src/config/index.js';
import { SecureBucket } from '../src/constructs/data/secure-bucket.js';
import { ServiceRole } from '../src/constructs/security/iam/service-role.js';
import { EncryptionKey } from '../src/constructs/security/kms-key.js';
import { AiStack } from '../src/stacks/ai/ai-stack.js';
import { EnvironmentStack } from '../src/stacks/environment-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
export type Json = Record<string, any>;

export interface AiSynthOptions {
  readonly bundlesDir?: string;
  readonly catalogue?: Readonly<Record<FunctionName, FunctionSpec>>;
  /** What the consumer role (the backend task role's stand-in) is granted; default `grantInvokeApi`. */
  readonly grantConsumer?: (ai: AiStack, role: ServiceRole) => void;
}

export interface AiSynthResult {
  readonly outdir: string;
  /** Parsed `cdk.tf.json` by stack id (`bandup-<env>-ai`, `bandup-<env>-upstream`, `bandup-<env>-consumer`). */
  readonly stacks: Record<string, Json>;
  readonly aiStacks: Record<string, AiStack>;
}

/**
 * Synthesizes the AI stack of each environment against an upstream stack standing in for the data
 * stack (real keys, bucket and secret, so values cross stacks as real CDKTF references), plus a
 * consumer stack whose role is granted `grantInvokeApi` (as the app stack's backend task role is).
 */
export function synthAi(configs: readonly EnvironmentConfig[], options: AiSynthOptions = {}): AiSynthResult {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-ai-test-'));
  const app = new App({ outdir });
  const mode = { kind: 'offline', stateDir: path.join(outdir, 'state') } as const;
  const ids: string[] = [];
  const aiStacks: Record<string, AiStack> = {};
  for (const config of configs) {
    const up = new EnvironmentStack(app, 'upstream', { config, mode });
    const key = (id: string, viaServices: string[]) =>
      new EncryptionKey(up, `key-${id}`, {
        accountId: config.accountId,
        region: config.region,
        alias: `test-${id}`,
        description: id,
        viaServices,
      });
    const keys = {
      data: key('data', ['s3', 'dynamodb', 'transcribe']),
      logs: key('logs', ['logs']),
      secrets: key('secrets', ['secretsmanager']),
    };
    const uploads = new SecureBucket(up, 'bucket-uploads', {
      bucketName: `test-${config.name}-uploads-${config.accountId}`,
      encryption: keys.data,
      noncurrentVersionExpirationDays: 30,
      preventDestroy: false,
    });
    const gemini = new SecretsmanagerSecret(up, 'secret-gemini', {
      name: 'test-gemini',
      kmsKeyId: keys.secrets.arn,
    });
    const ai = new AiStack(app, {
      config,
      mode,
      data: { keys, buckets: { uploads }, secrets: { gemini: { arn: gemini.arn } } },
      ...(options.bundlesDir ? { bundlesDir: options.bundlesDir } : {}),
      ...(options.catalogue ? { catalogue: options.catalogue } : {}),
    });
    const consumer = new EnvironmentStack(app, 'consumer', { config, mode });
    const role = new ServiceRole(consumer, 'backend-role', {
      name: `test-${config.name}-backend`,
      description: 'stands in for the backend task role',
      assumedBy: 'ecs-tasks.amazonaws.com',
    });
    (options.grantConsumer ?? ((stack, grantee) => stack.grantInvokeApi(grantee)))(ai, role);
    ids.push(up.node.id, ai.node.id, consumer.node.id);
    aiStacks[config.name] = ai;
  }
  app.synth();
  const stacks = Object.fromEntries(
    ids.map((id) => [
      id,
      JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Json,
    ]),
  );
  return { outdir, stacks, aiStacks };
}

/** The resources of one type, keyed by logical id. */
export function resourcesOf(stack: Json, type: string): Record<string, Json> {
  return (stack.resource?.[type] ?? {}) as Record<string, Json>;
}

/** The single resource of a type whose attribute equals a value. */
export function findResource(stack: Json, type: string, attr: string, value: unknown): [string, Json] {
  const found = Object.entries(resourcesOf(stack, type)).filter(([, r]) => r[attr] === value);
  if (found.length !== 1)
    throw new Error(`expected one ${type} with ${attr}=${String(value)}, found ${found.length}`);
  return found[0] as [string, Json];
}

/** `${aws_x.name.attr}` → the logical id `name`. */
export function refId(token: string, type: string): string | undefined {
  return new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(token)?.[1];
}
