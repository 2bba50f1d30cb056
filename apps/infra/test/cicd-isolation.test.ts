import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { dev } from '../src/config/dev.js';
import { selectEnvironments } from '../src/config/index.js';
import { stateBucketName } from '../src/stacks/state-bucket-name.js';
import { evaluate, type Request } from './iam-evaluator.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/*
 * Environment isolation in a shared account (dev and prod use one account and one state bucket),
 * checked by evaluating requests against the synthesized policies of the pipeline roles. The AWS
 * managed policies they carry (ReadOnlyAccess, PowerUserAccess) are modelled as "Allow everything",
 * their worst case: whatever is refused here is refused by an explicit Deny of our own.
 */
const ACCOUNT = dev.accountId;
const REGION = 'ap-southeast-1';
const BUCKET = `arn:aws:s3:::${stateBucketName(ACCOUNT, REGION)}`;

let cicd: Record<string, Json>;
beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-isolation-test-'));
  const { app } = buildApp({
    environments: selectEnvironments('dev,prod'),
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  cicd = Object.fromEntries(
    ['dev', 'prod'].map((env) => [
      env,
      JSON.parse(readFileSync(path.join(outdir, 'stacks', `bandup-${env}-cicd`, 'cdk.tf.json'), 'utf8')),
    ]),
  );
});

/** Every statement a role holds: its inline policy, plus Allow-all for an attached managed policy. */
function statementsOf(env: string, project: string): Json[] {
  const stack = cicd[env] as Json;
  const [id] = Object.entries(stack.resource.aws_iam_role as Record<string, Json>).find(
    ([, r]) => r.name === `bandup-${env}-cicd-${project}`,
  ) as [string, Json];
  const inline = Object.values(stack.resource.aws_iam_role_policy as Record<string, Json>)
    .filter((p) => p.role === `\${aws_iam_role.${id}.id}`)
    .flatMap((p) => JSON.parse(p.policy).Statement as Json[]);
  const managed = Object.values((stack.resource.aws_iam_role_policy_attachment ?? {}) as Record<string, Json>)
    .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
    .map(() => ({ Effect: 'Allow', Action: '*', Resource: '*' }));
  return [...inline, ...managed];
}

const decide = (env: string, project: string, request: Request) =>
  evaluate(statementsOf(env, project), request);

describe.each([
  ['dev', 'prod'],
  ['prod', 'dev'],
])('the %s pipeline roles and %s', (own, other) => {
  it.each(['plan', 'apply', 'drift'])("%s: reads its own state, never the other environment's", (project) => {
    expect(
      decide(own, project, {
        action: 's3:GetObject',
        resource: `${BUCKET}/${own}/bandup-${own}-data.tfstate`,
      }),
    ).toBe('allowed');
    for (const action of ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject']) {
      expect(
        decide(own, project, { action, resource: `${BUCKET}/${other}/bandup-${other}-data.tfstate` }),
        `${project} ${action} ${other} state`,
      ).toBe('explicit-deny');
    }
    expect(decide(own, project, { action: 's3:GetObject', resource: `${BUCKET}/bootstrap.tfstate` })).toBe(
      'explicit-deny',
    );
    expect(decide(own, project, { action: 's3:GetObject', resource: `${BUCKET}/staging/x.tfstate` })).toBe(
      'explicit-deny',
    );
  });

  it('plan and drift cannot write any state object, only their lock', () => {
    for (const project of ['plan', 'drift']) {
      // ReadOnlyAccess grants no write: modelled here by the inline policy alone.
      const inline = statementsOf(own, project).filter((s) => s.Action !== '*');
      expect(
        evaluate(inline, { action: 's3:PutObject', resource: `${BUCKET}/${own}/bandup-${own}-data.tfstate` }),
      ).toBe('implicit-deny');
      expect(
        evaluate(inline, {
          action: 's3:PutObject',
          resource: `${BUCKET}/${own}/bandup-${own}-data.tfstate.tflock`,
        }),
      ).toBe('allowed');
    }
    expect(
      decide(own, 'apply', {
        action: 's3:PutObject',
        resource: `${BUCKET}/${own}/bandup-${own}-data.tfstate`,
      }),
    ).toBe('allowed');
  });

  it("apply cannot touch the other environment's resources, by name or by Environment tag", () => {
    const byName: Request[] = [
      {
        action: 'rds:DeleteDBInstance',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:db:bandup-${other}-postgres`,
      },
      {
        action: 'lambda:UpdateFunctionCode',
        resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:bandup-${other}-writing`,
      },
      {
        action: 'dynamodb:DeleteTable',
        resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/bandup-${other}-jobs`,
      },
      { action: 's3:DeleteBucket', resource: `arn:aws:s3:::bandup-${other}-media-${ACCOUNT}` },
      { action: 's3:PutObject', resource: `arn:aws:s3:::bandup-${other}-media-${ACCOUNT}/x` },
      {
        action: 'logs:DeleteLogGroup',
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/bandup-${other}-writing`,
      },
      { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/bandup-${other}-backend-task` },
      {
        action: 'ecs:UpdateService',
        resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/bandup-${other}/bandup-${other}-backend`,
      },
    ];
    for (const request of byName)
      expect(decide(own, 'apply', request), request.resource).toBe('explicit-deny');
    // The same calls on its own environment's resources go through.
    for (const request of byName) {
      const ownRequest = {
        ...request,
        resource: request.resource.replaceAll(`bandup-${other}`, `bandup-${own}`),
      };
      expect(decide(own, 'apply', ownRequest), ownRequest.resource).toBe('allowed');
    }
    // Resources whose ARN carries no name (EC2, RDS subnet ids...) are guarded by their tag.
    const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0`;
    expect(
      decide(own, 'apply', {
        action: 'ec2:RevokeSecurityGroupIngress',
        resource: instance,
        context: { 'aws:ResourceTag/Environment': other },
      }),
    ).toBe('explicit-deny');
    expect(
      decide(own, 'apply', {
        action: 'ec2:RevokeSecurityGroupIngress',
        resource: instance,
        context: { 'aws:ResourceTag/Environment': own },
      }),
    ).toBe('allowed');
    // ...and cannot be created for the other environment either.
    expect(
      decide(own, 'apply', {
        action: 'ec2:CreateSecurityGroup',
        resource: instance,
        context: { 'aws:RequestTag/Environment': other },
      }),
    ).toBe('explicit-deny');
    expect(
      decide(own, 'apply', {
        action: 'ec2:CreateSecurityGroup',
        resource: instance,
        context: { 'aws:RequestTag/Environment': own },
      }),
    ).toBe('allowed');
  });

  it("apply still reaches the account's shared state key and bucket", () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    expect(
      decide(own, 'apply', {
        action: 'kms:Decrypt',
        resource: key,
        context: {
          'aws:ResourceTag/Environment': 'shared',
          'kms:ResourceAliases': ['alias/bandup-tfstate'],
          'kms:ViaService': `s3.${REGION}.amazonaws.com`,
        },
      }),
    ).toBe('allowed');
  });
});
