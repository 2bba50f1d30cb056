import {
  API_OPERATIONS,
  backendTaskRoleName,
  type FunctionName,
  resourceName,
  usesApiKey,
} from '@bandup/shared';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { WafWebAcl } from '../../constructs/security/waf-web-acl.js';
import { apiGatewayDefinition } from '../../constructs/serverless/api-definition.js';
import { apiResourcePolicy } from '../../constructs/serverless/api-resource-policy.js';
import { RestApi } from '../../constructs/serverless/rest-api.js';
import type { WorkerFunction } from '../../constructs/serverless/worker-function.js';
import type { AiDataInputs } from './ai-stack.js';

export interface AiApiProps {
  readonly config: EnvironmentConfig;
  readonly keys: AiDataInputs['keys'];
  readonly functions: Record<FunctionName, WorkerFunction>;
}

/**
 * The AI REST API: the shared OpenAPI document with infra's integrations, one stage, callable only
 * by the backend task role and the configured operators (SigV4), behind WAF.
 */
export class AiApi extends FlatConstruct {
  readonly restApi: RestApi;
  readonly webAcl: WafWebAcl;
  /** `bandup-<env>-ai`, known before the API exists (its alarms name it). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AiApiProps) {
    super(scope, id);
    const { config, keys, functions } = props;
    const { accountId, ai } = config;
    this.name = resourceName(config.name, 'ai');
    const document = apiDocument(config, functions);
    this.restApi = new RestApi(this, 'api', {
      name: this.name,
      description: `Bandup ${config.name}: IELTS assessment and flashcard jobs (called by the backend with SigV4)`,
      accountId,
      stageName: config.name,
      body: JSON.stringify(document),
      routes: API_OPERATIONS.map((op) => ({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        functionName: functions[op.functionName].name,
        usesApiKey: usesApiKey(op),
      })),
      throttle: { rateLimit: ai.throttleRateLimit, burstLimit: ai.throttleBurstLimit },
      quotaPerDay: ai.quotaPerDay,
      readThrottle: { rateLimit: ai.readThrottleRateLimit, burstLimit: ai.readThrottleBurstLimit },
      logKey: keys.logs,
      logRetentionDays: config.observability.logRetentionDays,
      secretKey: keys.secrets,
      secretRecoveryWindowDays: config.protectStatefulResources ? 30 : 0,
    });
    this.webAcl = new WafWebAcl(this, 'waf', {
      name: resourceName(config.name, 'ai-api'),
      description: `Bandup ${config.name}: web ACL of the AI API stage`,
      accountId,
      region: config.region,
      // At least the full throttled load from one NAT address (checked by the config schema).
      rateLimitPer5Minutes: ai.apiWafRateLimitPer5Minutes,
      logRetentionDays: config.observability.logRetentionDays,
      logKey: keys.logs,
      // A Writing submission carries an essay of up to 12,000 characters plus its prompt, above the
      // rule's 8 KB body limit. Counted, not blocked: the request validator enforces the schema's
      // maximum lengths on every body instead.
      countOnlyRules: { AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] },
    });
    this.webAcl.associate(this.restApi.stageArn, 'api-stage-association');
  }
}

/**
 * The shared OpenAPI document with infra's integrations and the resource policy: only the backend
 * task role (by its deterministic name: the app stack that owns it is deployed after this one) and
 * the configured operators may invoke the API at all.
 */
function apiDocument(config: EnvironmentConfig, functions: Record<FunctionName, WorkerFunction>) {
  const { accountId, ai } = config;
  const invokeUris = Object.fromEntries(
    Object.values(functions)
      .filter((fn) => fn.spec.trigger.type === 'api')
      .map((fn) => [fn.spec.name, fn.invokeArn]),
  ) as Partial<Record<FunctionName, string>>;
  const backendTaskRoleArn = `arn:aws:iam::${accountId}:role/${backendTaskRoleName(config.name)}`;
  return apiGatewayDefinition({
    title: `Bandup AI API (${config.name})`,
    invokeUris,
    resourcePolicy: apiResourcePolicy({
      accountId,
      allowedPrincipalArns: [backendTaskRoleArn, ...ai.apiOperatorPrincipalArns],
    }),
  });
}
