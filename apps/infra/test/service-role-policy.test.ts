import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../src/constructs/security/iam/policy-document.js';
import { ServiceRole } from '../src/constructs/security/iam/service-role.js';
import { synthBareStack } from './bare-stack-fixture.js';
import type { Json } from './network-fixture.js';

/** The rendered inline policy of a role granted `statements`, in order. */
function policyOf(statements: readonly PolicyStatement[]): Json[] {
  const doc = synthBareStack((stack) => {
    const role = new ServiceRole(stack, 'worker', {
      name: 'bandup-test-worker',
      description: 'test',
      assumedBy: 'lambda.amazonaws.com',
    });
    for (const statement of statements) role.addToPolicy(statement);
  });
  const policy = Object.values(doc.resource.aws_iam_role_policy as Record<string, Json>)[0] as Json;
  return JSON.parse(policy.policy as string).Statement as Json[];
}

const KEY = 'arn:aws:kms:ap-southeast-1:111111111111:key/k';
const QUEUE = 'arn:aws:sqs:ap-southeast-1:111111111111:q';

describe('ServiceRole inline policy', () => {
  it('leaves out a statement another one allows in full (actions and resources)', () => {
    expect(
      policyOf([
        { actions: ['kms:Decrypt'], resources: [KEY] },
        { actions: ['sqs:SendMessage'], resources: [QUEUE] },
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: [KEY] },
      ]),
    ).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY },
    ]);
  });

  it('keeps a statement whose resources reach beyond the wider one, and any conditional statement', () => {
    const other = 'arn:aws:kms:ap-southeast-1:111111111111:key/other';
    const conditional: PolicyStatement = {
      actions: ['kms:Decrypt', 'kms:Encrypt'],
      resources: [KEY],
      conditions: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-1.amazonaws.com' } },
    };
    const statements = policyOf([
      { actions: ['kms:Decrypt'], resources: [KEY, other] },
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: [KEY] },
      { actions: ['kms:Decrypt'], resources: [KEY], conditions: conditional.conditions },
      conditional,
    ]);
    expect(statements).toHaveLength(4);
  });
});
