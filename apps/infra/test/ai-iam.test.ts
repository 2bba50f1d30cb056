import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKER_FUNCTIONS } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import {
  ACTIONS_ONLY_ON_ANY_RESOURCE,
  POLICIES_WHERE_STAR_MEANS_SELF,
} from '../src/policies/iam-allow-list.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

/**
 * Where IAM allows a wildcard, and why. Everything else in an Allow statement must name its
 * actions exactly and its resources by ARN (a trailing `*` inside an ARN scopes a prefix and is fine).
 */
const WILDCARD_ACTION_FAMILIES: Readonly<Record<string, string>> = {
  'kms:ReEncrypt*': 'KMS re-encryption is two actions (ReEncryptFrom/To) that AWS grants as one family',
  'kms:GenerateDataKey*': 'data keys with and without plaintext, used by S3/SQS/DynamoDB SSE-KMS',
};
/**
 * `"Resource": "*"` is allowed only for the actions of the security Aspect's commented allow-list
 * (policies/iam-allow-list.ts: actions AWS defines no resource type for). This test adds one rule
 * the Aspect cannot know: StartTranscriptionJob must carry its pinning condition (output bucket and
 * KMS key), since its `*` would otherwise let a function write transcripts anywhere.
 */
const RESOURCE_STAR_NEEDS_CONDITION: ReadonlySet<string> = new Set(['transcribe:StartTranscriptionJob']);

interface Found {
  readonly where: string;
  readonly problem: string;
}

const asList = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];

/** Every policy document (any attribute whose value is a JSON document with `Statement`) of every resource. */
function policyDocuments(
  stacks: Record<string, Json>,
): { where: string; type: string; attr: string; doc: Json }[] {
  const docs: { where: string; type: string; attr: string; doc: Json }[] = [];
  for (const [stackId, stack] of Object.entries(stacks)) {
    for (const [type, resources] of Object.entries((stack.resource ?? {}) as Json)) {
      for (const [id, resource] of Object.entries(resources as Json)) {
        for (const [attr, value] of Object.entries(resource as Json)) {
          if (typeof value !== 'string' || !value.trimStart().startsWith('{')) continue;
          let parsed: Json;
          try {
            parsed = JSON.parse(value);
          } catch {
            continue;
          }
          if (Array.isArray(parsed.Statement))
            docs.push({ where: `${stackId}/${type}.${id}.${attr}`, type, attr, doc: parsed });
        }
      }
    }
  }
  return docs;
}

/** Wildcards in Allow statements that the allow-lists above do not cover. */
function wildcardViolations(stacks: Record<string, Json>): Found[] {
  const found: Found[] = [];
  for (const { where, type, attr, doc } of policyDocuments(stacks)) {
    // In a key policy, "Resource": "*" means "this key" (a key policy cannot name its own ARN), and
    // the administration statement uses AWS's documented kms:<Verb>* families.
    const keyPolicy = POLICIES_WHERE_STAR_MEANS_SELF.has(`${type}.${attr}`);
    for (const s of doc.Statement as Json[]) {
      if (s.Effect !== 'Allow') continue;
      const actions = asList(s.Action);
      if (s.NotAction !== undefined || s.NotResource !== undefined) {
        found.push({ where, problem: 'NotAction/NotResource in an Allow statement' });
      }
      for (const action of actions) {
        if (action === '*' || action.endsWith(':*'))
          found.push({ where, problem: `wildcard action "${action}"` });
        else if (
          action.includes('*') &&
          !(action in WILDCARD_ACTION_FAMILIES) &&
          !(keyPolicy && action.startsWith('kms:'))
        ) {
          found.push({ where, problem: `wildcard action "${action}" not in the allow-list` });
        }
      }
      if (keyPolicy) continue;
      if (asList(s.Resource).includes('*')) {
        for (const action of actions) {
          if (!ACTIONS_ONLY_ON_ANY_RESOURCE.has(action))
            found.push({ where, problem: `"Resource": "*" for ${action}` });
          else if (RESOURCE_STAR_NEEDS_CONDITION.has(action) && !s.Condition) {
            found.push({ where, problem: `"Resource": "*" for ${action} without its pinning condition` });
          }
        }
      }
    }
  }
  return found;
}

const configs = selectEnvironments('dev,prod');
let aiStacks: Record<string, Json>;
let fullApp: Record<string, Json>;
beforeAll(() => {
  aiStacks = synthAi(configs).stacks;
  // The real app, every stack of every environment.
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-full-app-'));
  const { app } = buildApp({
    environments: configs,
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  const stacksDir = path.join(outdir, 'stacks');
  fullApp = Object.fromEntries(
    readdirSync(stacksDir).map((id) => [
      `full/${id}`,
      JSON.parse(readFileSync(path.join(stacksDir, id, 'cdk.tf.json'), 'utf8')) as Json,
    ]),
  );
}, 180_000);

describe('IAM wildcards across the synthesized app', () => {
  it('finds policy documents in every place they live', () => {
    expect(Object.keys(fullApp)).toEqual(
      expect.arrayContaining([
        'full/bandup-dev-ai',
        'full/bandup-prod-ai',
        'full/bandup-dev-app',
        'full/bandup-bootstrap',
      ]),
    );
    const types = new Set(policyDocuments({ ...fullApp, ...aiStacks }).map((d) => d.type));
    for (const t of [
      'aws_iam_role_policy',
      'aws_iam_role',
      'aws_kms_key',
      'aws_s3_bucket_policy',
      'aws_sqs_queue_policy',
      'aws_sns_topic_policy',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('has no wildcard outside the commented allow-list in any policy document', () => {
    expect(wildcardViolations({ ...fullApp, ...aiStacks })).toEqual([]);
  });

  it('the check rejects a wildcard action and an unlisted "Resource": "*"', () => {
    const policy = (statement: Json) => ({
      resource: { aws_iam_role_policy: { p: { policy: JSON.stringify({ Statement: [statement] }) } } },
    });
    expect(
      wildcardViolations({ s: policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }) }),
    ).toHaveLength(1);
    expect(
      wildcardViolations({ s: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }),
    ).toHaveLength(1);
    expect(
      wildcardViolations({
        s: policy({ Effect: 'Allow', Action: 'transcribe:StartTranscriptionJob', Resource: '*' }),
      }),
    ).toHaveLength(1);
    expect(wildcardViolations({ s: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) })).toHaveLength(0);
  });
});

describe.each(['dev', 'prod'])('bandup-%s-ai function roles are derived from the catalogue access', (env) => {
  const config = () => configs.find((c) => c.name === env) as (typeof configs)[number];
  const statementsOf = (name: string): Json[] => {
    const stack = aiStacks[`bandup-${env}-ai`] as Json;
    const [, fn] = findResource(stack, 'aws_lambda_function', 'function_name', `bandup-${env}-${name}`);
    const roleId = refId(fn.role, 'aws_iam_role');
    const policy = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).find((p) =>
      String(p.role).includes(`aws_iam_role.${roleId}.`),
    ) as Json;
    return JSON.parse(policy.policy).Statement;
  };
  const actionsOf = (name: string) => statementsOf(name).flatMap((s) => asList(s.Action));
  const resourcesFor = (name: string, action: string) =>
    statementsOf(name)
      .filter((s) => asList(s.Action).includes(action))
      .flatMap((s) => asList(s.Resource));

  it.each(WORKER_FUNCTIONS.map((f) => [f.name, f] as const))('%s', (name, spec) => {
    const actions = actionsOf(name);
    const { access } = spec;
    // Logs: its own group only. X-Ray.
    expect(resourcesFor(name, 'logs:PutLogEvents')).toHaveLength(1);
    expect(resourcesFor(name, 'logs:PutLogEvents')[0]).toMatch(
      /^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:log-stream:\*$/,
    );
    expect(actions).not.toContain('logs:CreateLogGroup');
    expect(actions).toContain('xray:PutTraceSegments');
    // Table: write actions only for read-write functions; never Scan.
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.includes('dynamodb:UpdateItem')).toBe(
      spec.env.includes('jobsTable') && access.jobsTable === 'read-write',
    );
    expect(actions.includes('dynamodb:Query')).toBe(spec.env.includes('jobsTable'));
    // Bucket prefixes.
    const reads = resourcesFor(name, 's3:GetObject').map((r) => r.replace(/^.*\}\//, ''));
    const writes = resourcesFor(name, 's3:PutObject').map((r) => r.replace(/^.*\}\//, ''));
    expect(reads.sort()).toEqual(access.dataBucketRead.map((p) => `${p}*`).sort());
    expect(writes.sort()).toEqual(access.dataBucketWrite.map((p) => `${p}*`).sort());
    // Queues it sends to (a stream consumer also sends its failed batches to its failure queue), and consumes.
    const failureQueue = spec.trigger.type === 'jobs-stream' ? 1 : 0;
    expect(resourcesFor(name, 'sqs:SendMessage')).toHaveLength(access.sendsTo.length + failureQueue);
    const consumes = spec.trigger.type === 'sqs' ? spec.trigger.queues.length : 0;
    expect(resourcesFor(name, 'sqs:ReceiveMessage')).toHaveLength(consumes);
    // Bedrock: exactly the configured model ARNs in the Bedrock region.
    const models = { assessment: config().ai.assessmentModelId, embedding: config().ai.embeddingModelId };
    expect(resourcesFor(name, 'bedrock:InvokeModel').sort()).toEqual(
      [...new Set(access.bedrockModels.map((m) => models[m]))]
        .map((id) => `arn:aws:bedrock:${config().ai.bedrockRegion}::foundation-model/${id}`)
        .sort(),
    );
    // Transcribe and the Gemini secret only where the catalogue says so.
    expect(actions.includes('transcribe:GetTranscriptionJob')).toBe(access.transcribe);
    expect(actions.includes('transcribe:StartTranscriptionJob')).toBe(
      access.transcribe && spec.env.includes('transcribeOutputKmsKeyId'),
    );
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe(access.geminiSecret);
    expect(actions).not.toContain('iam:PassRole');
    // Completion events: the topic only for the publisher, the stream only for its consumer.
    expect(resourcesFor(name, 'sns:Publish')).toHaveLength(access.publishesJobEvents ? 1 : 0);
    expect(resourcesFor(name, 'dynamodb:GetRecords')).toEqual(
      spec.trigger.type === 'jobs-stream'
        ? [expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}\/stream\/\*$/)]
        : [],
    );
  });

  it('StartTranscriptionJob is pinned to the data bucket and the data key', () => {
    const start = statementsOf('speaking').find((s) =>
      asList(s.Action).includes('transcribe:StartTranscriptionJob'),
    ) as Json;
    expect(start.Resource).toBe('*');
    expect(Object.keys(start.Condition.StringEquals).sort()).toEqual([
      'transcribe:OutputBucketName',
      'transcribe:OutputEncryptionKMSKeyId',
    ]);
    expect(resourcesFor('speaking-finalize', 'transcribe:GetTranscriptionJob')).toEqual([
      `arn:aws:transcribe:${config().region}:${config().accountId}:transcription-job/bandup-${env}-*`,
    ]);
  });
});
