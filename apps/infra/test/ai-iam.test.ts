import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';
import {
  ACTIONS_ONLY_ON_ANY_RESOURCE,
  POLICIES_WHERE_STAR_MEANS_SELF,
} from '../src/policies/iam-allow-list.js';
import { type Json, synthAi } from './ai-fixture.js';

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
