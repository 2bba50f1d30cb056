import { backendTaskRoleName } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { apiResourcePolicy } from '../src/constructs/serverless/api-resource-policy.js';
import { findResource, type Json, synthAi } from './ai-fixture.js';
import { synthAppWithUpstreamDouble } from './app-fixture.js';
import { evaluate, type PolicyDocument, wildcardMatch } from './support/iam-policy-evaluator.js';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'ap-southeast-1';
const API_ID = 'a1b2c3d4e5';
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/bandup-ops-support`;

/** API Gateway expands `execute-api:/*` to this API's ARN on import. */
const expand = (policy: Json): PolicyDocument =>
  JSON.parse(
    JSON.stringify(policy).replaceAll(
      '"execute-api:/',
      `"arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/`,
    ),
  ) as PolicyDocument;

const invoke = (stage: string, route: string) => ({
  action: 'execute-api:Invoke',
  resource: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${stage}/${route}`,
});
const caller = (roleArn: string, account = ACCOUNT) => ({
  'aws:PrincipalArn': roleArn,
  'aws:PrincipalAccount': account,
});
const allowAll: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const powerUser: PolicyDocument = {
  Statement: [{ Effect: 'Allow', Action: ['execute-api:*', 'lambda:*', 's3:*'], Resource: '*' }],
};

describe.each(['dev', 'prod'] as const)('bandup-%s-ai: the synthesized API resource policy', (env) => {
  let policy: PolicyDocument;
  let backendIdentity: PolicyDocument;
  const backendRole = `arn:aws:iam::${ACCOUNT}:role/${backendTaskRoleName(env)}`;

  beforeAll(() => {
    const [loaded] = selectEnvironments(env);
    const config = { ...loaded!, ai: { ...loaded!.ai, apiOperatorPrincipalArns: [OPERATOR] } };
    const { stacks } = synthAi([config]);
    const ai = stacks[`bandup-${env}-ai`] as Json;
    const [, api] = findResource(ai, 'aws_api_gateway_rest_api', 'name', `bandup-${env}-ai`);
    policy = expand(JSON.parse(api.body)['x-amazon-apigateway-policy']);
    // The backend's identity policy as the AI stack grants it (grantInvokeApi to the consumer role),
    // with the API's execution ARN resolved.
    const consumer = stacks[`bandup-${env}-consumer`] as Json;
    const rolePolicy = Object.values(consumer.resource.aws_iam_role_policy)[0] as Json;
    backendIdentity = JSON.parse(
      String(rolePolicy.policy).replace(
        /\$\{data\.terraform_remote_state\.[^}]+\}/g,
        `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}`,
      ),
    ) as PolicyDocument;
  }, 120_000);

  const decide = (
    keys: Record<string, string>,
    identity: PolicyDocument[],
    route = 'POST/v1/writing/assessments',
  ) => evaluate({ ...invoke(env, route), keys }, { identity, resource: policy, resourceAccount: ACCOUNT });

  it('admits the backend task role (each of its sessions) on every route it is granted', () => {
    for (const route of [
      'POST/v1/writing/assessments',
      'GET/v1/jobs/3f0c',
      'GET/v1/jobs',
      'GET/v1/speaking/test-band',
    ]) {
      expect(decide(caller(backendRole), [backendIdentity], route), route).toBe('ALLOW');
    }
  });

  it('denies another principal of the account even with execute-api:* (the CI apply role, an admin)', () => {
    const ci = `arn:aws:iam::${ACCOUNT}:role/bandup-cicd-apply`;
    expect(decide(caller(ci), [powerUser])).toBe('DENY');
    expect(decide(caller(`arn:aws:iam::${ACCOUNT}:role/Admin`), [allowAll])).toBe('DENY');
    expect(decide(caller(`arn:aws:iam::${ACCOUNT}:user/alice`), [allowAll], 'GET/v1/jobs')).toBe('DENY');
  });

  it('denies look-alike roles: another environment, a suffix, another account', () => {
    const otherEnv = env === 'dev' ? 'prod' : 'dev';
    expect(decide(caller(`arn:aws:iam::${ACCOUNT}:role/${backendTaskRoleName(otherEnv)}`), [allowAll])).toBe(
      'DENY',
    );
    expect(decide(caller(`${backendRole}-copy`), [allowAll])).toBe('DENY');
    expect(
      decide(caller(`arn:aws:iam::${OTHER_ACCOUNT}:role/${backendTaskRoleName(env)}`, OTHER_ACCOUNT), [
        allowAll,
      ]),
    ).toBe('DENY');
  });

  it('admits a configured operator through the resource policy alone', () => {
    expect(decide(caller(OPERATOR), [])).toBe('ALLOW');
  });

  it('still needs the identity grant for the backend: the policy admits, it does not deny the backend', () => {
    // Same account: the resource policy's Allow suffices, so the backend works from the first deploy.
    expect(decide(caller(backendRole), [])).toBe('ALLOW');
  });
});

describe('the backend task role name is the one the app stack creates', () => {
  it.each(['dev', 'prod'] as const)(
    '%s',
    (env) => {
      const stacks = synthAppWithUpstreamDouble(selectEnvironments(env));
      const app = stacks[`bandup-${env}-app`] as Json;
      const roles = Object.values(app.resource.aws_iam_role as Record<string, Json>).map((r) => r.name);
      expect(roles).toContain(backendTaskRoleName(env));
    },
    120_000,
  );
});

describe('apiResourcePolicy', () => {
  it('refuses principals of another account, malformed ARNs and an empty list', () => {
    expect(() =>
      apiResourcePolicy({
        accountId: ACCOUNT,
        allowedPrincipalArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/x`],
      }),
    ).toThrow(`"arn:aws:iam::${OTHER_ACCOUNT}:role/x" is not an IAM principal of account ${ACCOUNT}`);
    expect(() => apiResourcePolicy({ accountId: ACCOUNT, allowedPrincipalArns: ['role/x'] })).toThrow(
      'is not an IAM principal',
    );
    expect(() => apiResourcePolicy({ accountId: ACCOUNT, allowedPrincipalArns: [] })).toThrow(
      'admits no principal',
    );
  });
});

describe('iam policy evaluator (the test tool itself)', () => {
  const resourceAccount = ACCOUNT;
  const request = { ...invoke('dev', 'GET/v1/jobs'), keys: caller(`arn:aws:iam::${ACCOUNT}:role/r`) };

  it('matches wildcards and ARNs as IAM does', () => {
    expect(wildcardMatch('arn:aws:iam::*:role/a?c', 'arn:aws:iam::1:role/abc')).toBe(true);
    expect(wildcardMatch('arn:aws:iam::1:role/abc', 'arn:aws:iam::1:role/abcd')).toBe(false);
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
  });

  it('implicit deny without an allow; explicit deny beats allow; cross-account needs both sides', () => {
    expect(evaluate(request, { resourceAccount })).toBe('DENY');
    expect(evaluate(request, { identity: [allowAll], resourceAccount })).toBe('ALLOW');
    const deny: PolicyDocument = {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
    };
    expect(evaluate(request, { identity: [allowAll], resource: deny, resourceAccount })).toBe('DENY');
    const foreign = { ...request, keys: caller(`arn:aws:iam::${OTHER_ACCOUNT}:role/r`, OTHER_ACCOUNT) };
    expect(evaluate(foreign, { identity: [allowAll], resourceAccount })).toBe('DENY');
  });

  it('refuses statement shapes and operators it does not implement', () => {
    const notAction = {
      Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }],
    } as unknown as PolicyDocument;
    expect(() => evaluate(request, { identity: [notAction], resourceAccount })).toThrow(
      'Unsupported statement field',
    );
    const ifExists: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } },
        },
      ],
    };
    expect(() => evaluate(request, { identity: [ifExists], resourceAccount })).toThrow(
      'Unsupported condition operator',
    );
  });
});
