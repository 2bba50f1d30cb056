import { API_OPERATIONS, WORKER_FUNCTIONS } from '@bandup/shared';
import { Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { apiGatewayDefinition, executeApiResourcePath } from '../src/constructs/serverless/api-definition.js';
import { apiResourcePolicy } from '../src/constructs/serverless/api-resource-policy.js';
import { ACCESS_LOG_FORMAT } from '../src/constructs/serverless/rest-api.js';
import { BootstrapStack } from '../src/stacks/bootstrap-stack.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

const configs = selectEnvironments('dev,prod');
let stacks: Record<string, Json>;
beforeAll(() => {
  stacks = synthAi(configs).stacks;
}, 120_000);

const apiRoutes = WORKER_FUNCTIONS.flatMap((f) =>
  f.trigger.type === 'api' ? f.trigger.routes.map((r) => ({ ...r, fn: f.name })) : [],
);

describe.each(configs.map((c) => [c.name, c] as const))('bandup-%s-ai API', (env, config) => {
  const ai = () => stacks[`bandup-${env}-ai`] as Json;
  const restApi = () => findResource(ai(), 'aws_api_gateway_rest_api', 'name', `bandup-${env}-ai`);
  const body = () => JSON.parse(restApi()[1].body) as Json;
  const fnId = (name: string) =>
    findResource(ai(), 'aws_lambda_function', 'function_name', `bandup-${env}-${name}`)[0];

  it('is a regional REST API imported from the OpenAPI document', () => {
    const [, api] = restApi();
    expect(api.endpoint_configuration).toEqual({ types: ['REGIONAL'] });
    expect(body().openapi).toBe('3.0.1');
  });

  it('has exactly the catalogue routes, each an aws_proxy integration to its function', () => {
    const doc = body();
    const published = Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
      Object.keys(methods as Json).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(published.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of apiRoutes) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op['x-amazon-apigateway-integration']).toMatchObject({
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: `\${aws_lambda_function.${fnId(route.fn)}.invoke_arn}`,
      });
      expect(op['x-amazon-apigateway-integration'].passthroughBehavior).toBeDefined();
    }
  });

  it('requires SigV4 on every operation and the API key on submissions only, and validates body and parameters', () => {
    const doc = body();
    const schemes = doc.components.securitySchemes as Json;
    const sigv4 = Object.keys(schemes).find((k) => schemes[k]['x-amazon-apigateway-authtype'] === 'awsSigv4');
    const apiKey = Object.keys(schemes).find(
      (k) => schemes[k].type === 'apiKey' && schemes[k].name === 'x-api-key',
    );
    expect(sigv4).toBeDefined();
    expect(apiKey).toBeDefined();
    expect(doc['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    for (const route of apiRoutes) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      // Reads carry no API key: polling never counts against the submissions' usage plan.
      expect(op.security).toEqual(
        route.method === 'POST'
          ? [{ [sigv4 as string]: [], [apiKey as string]: [] }]
          : [{ [sigv4 as string]: [] }],
      );
      const validator = op['x-amazon-apigateway-request-validator'];
      expect(doc['x-amazon-apigateway-request-validators'][validator]).toEqual({
        validateRequestBody: true,
        validateRequestParameters: true,
      });
    }
    // No CORS: no OPTIONS method anywhere (the backend, not a browser, calls the API).
    expect(JSON.stringify(doc.paths)).not.toContain('"options"');
  });

  it('lets API Gateway invoke each function only for its own stage, method and path', () => {
    const [apiId] = restApi();
    // API Gateway's permissions; the scheduled functions' rules have their own (events.amazonaws.com).
    const permissions = Object.values(resourcesOf(ai(), 'aws_lambda_permission')).filter(
      (p) => p.principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(API_OPERATIONS.length);
    for (const route of apiRoutes) {
      const arn = `\${aws_api_gateway_rest_api.${apiId}.execution_arn}/${env}/${route.method}${executeApiResourcePath(route.path)}`;
      const permission = permissions.find((p) => p.source_arn === arn) as Json;
      expect(permission.principal).toBe('apigateway.amazonaws.com');
      expect(permission.action).toBe('lambda:InvokeFunction');
      expect(permission.function_name).toBe(`\${aws_lambda_function.${fnId(route.fn)}.function_name}`);
    }
  });

  it('redeploys when the definition changes (sha1 of the body), before destroying the old deployment', () => {
    const [apiId] = restApi();
    const deployments = Object.values(resourcesOf(ai(), 'aws_api_gateway_deployment'));
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.triggers).toEqual({
      redeployment: `\${sha1(aws_api_gateway_rest_api.${apiId}.body)}`,
    });
    expect(deployments[0]?.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('stage: X-Ray, JSON access logs to a KMS log group, INFO logs without data trace, throttling, metrics', () => {
    const [stageId, stage] = findResource(ai(), 'aws_api_gateway_stage', 'stage_name', env);
    expect(stage.xray_tracing_enabled).toBe(true);
    const logId = refId(stage.access_log_settings.destination_arn, 'aws_cloudwatch_log_group') as string;
    const group = resourcesOf(ai(), 'aws_cloudwatch_log_group')[logId] as Json;
    expect(group.kms_key_id).toMatch(/^\$\{/);
    expect(group.retention_in_days).toBe(config.observability.logRetentionDays);
    const format = JSON.parse(stage.access_log_settings.format);
    expect(stage.access_log_settings.format).toBe(ACCESS_LOG_FORMAT);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      userArn: '$context.identity.userArn',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
    });
    expect(JSON.stringify(format)).not.toContain('$context.identity.apiKey"');
    const [, settings] = findResource(ai(), 'aws_api_gateway_method_settings', 'method_path', '*/*');
    expect(settings.stage_name).toBe(`\${aws_api_gateway_stage.${stageId}.stage_name}`);
    expect(settings.settings).toEqual({
      metrics_enabled: true,
      logging_level: 'INFO',
      data_trace_enabled: false,
      throttling_rate_limit: config.ai.throttleRateLimit,
      throttling_burst_limit: config.ai.throttleBurstLimit,
    });
    // The execution log group is Terraform's (KMS, retention), and exists before the stage.
    const [execId, exec] = Object.entries(resourcesOf(ai(), 'aws_cloudwatch_log_group')).find(([, g]) =>
      String(g.name).startsWith('API-Gateway-Execution-Logs_'),
    ) as [string, Json];
    expect(exec.name).toMatch(new RegExp(`/${env}$`));
    expect(exec.kms_key_id).toMatch(/^\$\{/);
    expect(stage.depends_on).toContain(`aws_cloudwatch_log_group.${execId}`);
    // The account's CloudWatch role is the bootstrap stack's (an account-and-region singleton).
    expect(resourcesOf(ai(), 'aws_api_gateway_account')).toEqual({});
  });

  it('usage plan with the configured throttle and daily quota, and the API key in a KMS-encrypted secret', () => {
    const plans = Object.values(resourcesOf(ai(), 'aws_api_gateway_usage_plan'));
    expect(plans).toHaveLength(1);
    expect(plans[0]?.throttle_settings).toEqual({
      rate_limit: config.ai.throttleRateLimit,
      burst_limit: config.ai.throttleBurstLimit,
    });
    expect(plans[0]?.quota_settings).toEqual({ limit: config.ai.quotaPerDay, period: 'DAY' });
    const [keyId] = Object.entries(resourcesOf(ai(), 'aws_api_gateway_api_key'))[0] as [string, Json];
    const planKey = Object.values(resourcesOf(ai(), 'aws_api_gateway_usage_plan_key'))[0] as Json;
    expect(planKey.key_id).toBe(`\${aws_api_gateway_api_key.${keyId}.id}`);
    const [secretId, secret] = findResource(
      ai(),
      'aws_secretsmanager_secret',
      'name',
      `bandup-${env}-ai-api-key`,
    );
    expect(secret.kms_key_id).toMatch(/^\$\{data\.terraform_remote_state\./);
    const version = Object.values(resourcesOf(ai(), 'aws_secretsmanager_secret_version'))[0] as Json;
    expect(version.secret_id).toBe(`\${aws_secretsmanager_secret.${secretId}.id}`);
    expect(version.secret_string).toBe(`\${aws_api_gateway_api_key.${keyId}.value}`);
  });

  it('is protected by a WAF web ACL associated with the stage', () => {
    const [stageId] = findResource(ai(), 'aws_api_gateway_stage', 'stage_name', env);
    const [aclId, acl] = findResource(ai(), 'aws_wafv2_web_acl', 'name', `bandup-${env}-ai-api`);
    expect(acl.scope).toBe('REGIONAL');
    const association = Object.values(resourcesOf(ai(), 'aws_wafv2_web_acl_association'))[0] as Json;
    expect(association.resource_arn).toBe(`\${aws_api_gateway_stage.${stageId}.arn}`);
    expect(association.web_acl_arn).toBe(`\${aws_wafv2_web_acl.${aclId}.arn}`);
    const ruleNames = (acl.rule as Json[]).map((r) => r.name);
    expect(ruleNames).toEqual(expect.arrayContaining(['per-ip-rate-limit', 'AWSManagedRulesCommonRuleSet']));
  });

  it('grantInvokeApi gives execute-api:Invoke on exactly the catalogue routes of the stage', () => {
    const consumer = stacks[`bandup-${env}-consumer`] as Json;
    const policy = JSON.parse(Object.values(resourcesOf(consumer, 'aws_iam_role_policy'))[0]?.policy);
    expect(policy.Statement).toHaveLength(1);
    const statement = policy.Statement[0];
    expect(statement.Action).toBe('execute-api:Invoke');
    const resources = (
      Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]
    ) as string[];
    // Cross-stack: the execution ARN arrives through remote state, the rest is literal.
    const suffixes = resources.map((r) => r.replace(/^\$\{data\.terraform_remote_state\.[^}]+\}/, ''));
    expect(suffixes.sort()).toEqual(
      apiRoutes.map((r) => `/${env}/${r.method}${executeApiResourcePath(r.path)}`).sort(),
    );
    for (const r of resources) expect(r).toMatch(/^\$\{data\.terraform_remote_state\./);
  });
});

describe('API Gateway account logging role (bootstrap stack)', () => {
  it('is created once per account and region, scoped to API Gateway log groups', () => {
    const app = Testing.app();
    const stack = new BootstrapStack(app, 'bandup-bootstrap', {
      accountId: '111111111111',
      region: 'ap-southeast-1',
      mode: { kind: 'offline', stateDir: '/tmp/unused' },
    });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    const accounts = Object.values(resourcesOf(json, 'aws_api_gateway_account'));
    expect(accounts).toHaveLength(1);
    const roleId = refId(accounts[0]?.cloudwatch_role_arn, 'aws_iam_role') as string;
    const role = resourcesOf(json, 'aws_iam_role')[roleId] as Json;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'apigateway.amazonaws.com',
    });
    const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) =>
      String(p.role).includes(`aws_iam_role.${roleId}.`),
    ) as Json;
    const resources = (JSON.parse(policy.policy).Statement as Json[]).flatMap((s) => [s.Resource].flat());
    for (const r of resources) {
      expect(r).toMatch(
        /^arn:aws:logs:ap-southeast-1:111111111111:log-group:(API-Gateway-Execution-Logs_|\/aws\/apigateway\/|\*$)/,
      );
    }
  });
});

describe('apiGatewayDefinition', () => {
  const uris = {
    submit: 'uri-submit',
    status: 'uri-status',
    upload: 'uri-upload',
    history: 'uri-history',
    'test-band': 'uri-test-band',
  };
  const resourcePolicy = apiResourcePolicy({
    accountId: '111111111111',
    allowedPrincipalArns: ['arn:aws:iam::111111111111:role/backend'],
  });

  it('refuses an operation whose function is not the catalogue owner of the route', () => {
    const [first, ...rest] = API_OPERATIONS;
    const wrong = { ...(first as (typeof API_OPERATIONS)[number]), functionName: 'status' as const };
    expect(() =>
      apiGatewayDefinition({ title: 't', invokeUris: uris, operations: [wrong, ...rest], resourcePolicy }),
    ).toThrow(
      /POST \/v1\/writing\/assessments .* names function "status" but the catalogue gives it to "submit"/,
    );
  });

  it('refuses a catalogue route that the document does not publish', () => {
    expect(() =>
      apiGatewayDefinition({
        title: 't',
        invokeUris: uris,
        operations: API_OPERATIONS.slice(1),
        resourcePolicy,
      }),
    ).toThrow(/catalogue route POST \/v1\/writing\/assessments of "submit" is missing/);
  });

  it('refuses a route whose function has no invoke URI', () => {
    expect(() =>
      apiGatewayDefinition({ title: 't', invokeUris: { submit: 'x', upload: 'y' }, resourcePolicy }),
    ).toThrow(/No Lambda invoke URI for function "status"/);
  });
});
