import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key/index.js';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings/index.js';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api/index.js';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan/index.js';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';
import type { Grantee } from '../security/iam/policy-document.js';
import { executeApiResourcePath } from './api-definition.js';

/** One route of the API and the Lambda function behind it. */
export interface RestApiRoute {
  readonly operationId: string;
  readonly method: 'GET' | 'POST';
  /** OpenAPI path, e.g. `/v1/jobs/{jobId}`. */
  readonly path: string;
  readonly functionName: string;
  /** Carries the usage-plan API key (submissions); false for reads. */
  readonly usesApiKey: boolean;
}

export interface RestApiProps {
  /** `bandup-<env>-ai`: names the API, its log groups, usage plan, key and secret. */
  readonly name: string;
  readonly description: string;
  readonly accountId: string;
  readonly stageName: string;
  /** The OpenAPI document (with integrations) as a JSON string. */
  readonly body: string;
  /** Every route of `body`, for Lambda permissions and `grantInvoke`. */
  readonly routes: readonly RestApiRoute[];
  /**
   * Submissions (routes that carry the API key): usage plan throttle and daily quota, and the stage's
   * default per-method throttle.
   */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quotaPerDay: number;
  /** Reads (routes without the API key): their own per-method throttle on the stage. */
  readonly readThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Key admitting CloudWatch Logs (access and execution log groups). */
  readonly logKey: { readonly arn: string };
  readonly logRetentionDays: number;
  /** Key of the API key secret (the backend's execution role can decrypt it). */
  readonly secretKey: { readonly arn: string };
  /** Recovery window of the API key secret (0 = immediate deletion, dev only). */
  readonly secretRecoveryWindowDays: number;
}

/**
 * Fields of every access log line: who called (IAM principal, API key id, source IP), what (method,
 * resource, path), and how it went (status, latencies, integration and validation errors, WAF
 * verdict, X-Ray trace id). The API key value itself is never logged: only its id.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  apiKeyId: '$context.identity.apiKeyId',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
  errorType: '$context.error.responseType',
  validationError: '$context.error.validationErrorString',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
});

/**
 * A regional REST API imported from an OpenAPI document, with one stage: X-Ray tracing, JSON
 * access logs and INFO execution logs (no request/response bodies) in KMS-encrypted log groups
 * that Terraform owns, stage throttling and metrics, an API key on a usage plan (throttle and
 * daily quota) whose value is kept in Secrets Manager for the backend, and Lambda permissions
 * scoped to each route's exact stage, method and path.
 *
 * No CORS: browsers never call this API; the Bandup backend does, server to server, with SigV4.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: EncryptedLogGroup;
  readonly executionLogGroup: EncryptedLogGroup;
  readonly usagePlan: ApiGatewayUsagePlan;
  readonly apiKey: ApiGatewayApiKey;
  readonly apiKeySecret: SecretsmanagerSecret;
  readonly permissions: LambdaPermission[];
  private readonly props: RestApiProps;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.props = props;
    const { accountId } = props;

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: props.description,
      body: props.body,
      endpointConfiguration: { types: ['REGIONAL'] },
      // The document is the whole definition: anything not in it is removed on update.
      putRestApiMode: 'overwrite',
      failOnWarnings: true,
    });

    // A new deployment whenever the definition changes; created before the old one is destroyed,
    // so the stage always points at a deployment.
    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      description: `${props.name} definition`,
      triggers: { redeployment: Fn.sha1(this.api.body) },
      lifecycle: { createBeforeDestroy: true },
    });

    // Access and execution logging need the account's CloudWatch Logs role, an account-and-region
    // singleton that the bootstrap stack owns (ApiGatewayLoggingRole), deployed before any environment.
    this.accessLogGroup = new EncryptedLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logKey,
    });
    // API Gateway writes execution logs to this fixed name; created here first, it gets KMS and
    // retention instead of the never-expiring, unencrypted group API Gateway would create.
    this.executionLogGroup = new EncryptedLogGroup(this, 'execution-logs', {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logKey,
    });

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      stageName: props.stageName,
      deploymentId: this.deployment.id,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [this.executionLogGroup.logGroup],
    });

    const methodSettings = (throttle: RestApiProps['throttle']) => ({
      metricsEnabled: true,
      loggingLevel: 'INFO',
      // Request and response bodies hold learners' essays and results: never logged.
      dataTraceEnabled: false,
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
    });
    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: methodSettings(props.throttle),
    });
    // Reads get their own per-method throttle (every setting restated: an override replaces the
    // stage default for its method), so polling is sized apart from submissions.
    for (const route of props.routes.filter((r) => !r.usesApiKey)) {
      new ApiGatewayMethodSettings(this, `method-settings-${route.operationId}`, {
        restApiId: this.api.id,
        stageName: this.stage.stageName,
        methodPath: `${route.path.replace(/^\//, '')}/${route.method}`,
        settings: methodSettings(props.readThrottle),
      });
    }

    // The API key is a throttling and quota identifier, not the credential: every route also
    // requires SigV4 (IAM). Its value is generated by API Gateway and is therefore in Terraform
    // state (state is KMS-encrypted in S3); the backend reads it from Secrets Manager.
    this.apiKey = new ApiGatewayApiKey(this, 'api-key', {
      name: `${props.name}-backend`,
      description: 'Bandup backend: usage plan key of the AI API',
      enabled: true,
    });
    this.usagePlan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${props.name}-backend`,
      description: 'Throttle and daily quota of the Bandup backend submissions (reads carry no key)',
      apiStages: [{ apiId: this.api.id, stage: this.stage.stageName }],
      throttleSettings: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      quotaSettings: { limit: props.quotaPerDay, period: 'DAY' },
    });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', {
      keyId: this.apiKey.id,
      keyType: 'API_KEY',
      usagePlanId: this.usagePlan.id,
    });
    this.apiKeySecret = new SecretsmanagerSecret(this, 'api-key-secret', {
      name: `${props.name}-api-key`,
      description: `Usage plan API key of ${props.name} (x-api-key header of the backend's calls)`,
      kmsKeyId: props.secretKey.arn,
      recoveryWindowInDays: props.secretRecoveryWindowDays,
    });
    new SecretsmanagerSecretVersion(this, 'api-key-secret-value', {
      secretId: this.apiKeySecret.id,
      secretString: this.apiKey.value,
    });

    this.permissions = props.routes.map(
      (route) =>
        new LambdaPermission(this, `invoke-${route.operationId}`, {
          statementId: `apigateway-${route.operationId}`,
          action: 'lambda:InvokeFunction',
          functionName: route.functionName,
          principal: 'apigateway.amazonaws.com',
          sourceArn: this.routeArn(this.api.executionArn, route),
          sourceAccount: accountId,
        }),
    );
  }

  get id(): string {
    return this.api.id;
  }

  get stageName(): string {
    return this.stage.stageName;
  }

  get executionArn(): string {
    return this.api.executionArn;
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  /** The stage ARN (for WAF). */
  get stageArn(): string {
    return this.stage.arn;
  }

  /** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` of every route. */
  routeArns(): string[] {
    return this.props.routes.map((route) => this.routeArn(this.api.executionArn, route));
  }

  /** `execute-api:Invoke` on exactly the routes of this API's stage (SigV4 callers such as the backend). */
  grantInvoke(grantee: Grantee): void {
    grantee.addToPolicy({ actions: ['execute-api:Invoke'], resources: this.routeArns() });
  }

  private routeArn(executionArn: string, route: RestApiRoute): string {
    return `${executionArn}/${this.props.stageName}/${route.method}${executeApiResourcePath(route.path)}`;
  }
}
