import {
  API_OPERATIONS,
  type ApiOperation,
  buildOpenApiDocument,
  type FunctionName,
  type JsonObject,
  type OpenApiDocument,
  usesApiKey,
  WORKER_FUNCTIONS,
} from '@bandup/shared';
import type { ApiPolicyDocument } from './api-resource-policy.js';

export interface ApiDefinitionOptions {
  readonly title: string;
  /** Lambda invoke URI (`aws_lambda_function.invoke_arn`) of every function that serves a route. */
  readonly invokeUris: Partial<Readonly<Record<FunctionName, string>>>;
  /** Operations to publish (default: the shared `API_OPERATIONS`). */
  readonly operations?: readonly ApiOperation[];
  /** The API's resource policy (who may invoke it at all), imported with the document. */
  readonly resourcePolicy: ApiPolicyDocument;
}

/** Request validator every operation names: body and parameters are checked before a Lambda runs. */
const REQUEST_VALIDATOR_NAME = 'body-and-params';

/**
 * The REST API definition API Gateway imports (`aws_api_gateway_rest_api.body`): the shared
 * OpenAPI document (generated from the zod schemas) plus what infra owns: the resource policy, and
 * on every operation the Lambda proxy integration, the explicit security requirement (SigV4 on
 * every route, plus the API key on submissions: see `usesApiKey`) and the request validator. Per-operation settings are written out even where the document has a
 * root-level default, so that no route depends on how API Gateway resolves inheritance.
 *
 * Routes and the worker catalogue must agree both ways: a route without a catalogue function, or
 * a catalogue API route missing from the document, fails synth with its method and path.
 */
export function apiGatewayDefinition(options: ApiDefinitionOptions): OpenApiDocument {
  const operations = options.operations ?? API_OPERATIONS;
  checkRoutesMatchCatalogue(operations);
  const document = buildOpenApiDocument({ title: options.title, lambdaInvokeUris: options.invokeUris });
  const schemes = document.components.securitySchemes as Record<string, JsonObject>;
  const sigv4 = Object.keys(schemes).find(
    (name) => schemes[name]?.['x-amazon-apigateway-authtype'] === 'awsSigv4',
  );
  const apiKey = Object.keys(schemes).find(
    (name) => schemes[name]?.type === 'apiKey' && String(schemes[name]?.name).toLowerCase() === 'x-api-key',
  );
  if (!sigv4 || !apiKey) {
    throw new Error(
      'The shared OpenAPI document must declare an awsSigv4 security scheme and an x-api-key scheme ' +
        `(found: ${Object.keys(schemes).join(', ') || 'none'})`,
    );
  }
  document['x-amazon-apigateway-request-validators'] = {
    ...((document['x-amazon-apigateway-request-validators'] as JsonObject | undefined) ?? {}),
    [REQUEST_VALIDATOR_NAME]: { validateRequestBody: true, validateRequestParameters: true },
  };
  for (const op of operations) {
    const invokeUri = options.invokeUris[op.functionName];
    if (!invokeUri) {
      throw new Error(
        `No Lambda invoke URI for function "${op.functionName}" (route ${op.method} ${op.path})`,
      );
    }
    const operation = document.paths[op.path]?.[op.method.toLowerCase()] as JsonObject | undefined;
    if (!operation) throw new Error(`The OpenAPI document has no ${op.method} ${op.path}`);
    operation.security = [usesApiKey(op) ? { [sigv4]: [], [apiKey]: [] } : { [sigv4]: [] }];
    operation['x-amazon-apigateway-request-validator'] = REQUEST_VALIDATOR_NAME;
    operation['x-amazon-apigateway-integration'] = {
      type: 'aws_proxy',
      // Lambda is always invoked with POST, whatever the route's method.
      httpMethod: 'POST',
      uri: invokeUri,
      // Proxy integrations pass the request through as is; nothing is transformed.
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 29_000,
    };
  }
  // A change of the policy changes the body, so the deployment trigger redeploys the stage with it.
  document['x-amazon-apigateway-policy'] = options.resourcePolicy as unknown as JsonObject;
  return document;
}

/** `/v1/jobs/{jobId}` -> `/v1/jobs/*`: the resource part of an execute-api ARN. */
export function executeApiResourcePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

function checkRoutesMatchCatalogue(operations: readonly ApiOperation[]): void {
  const key = (method: string, path: string) => `${method} ${path}`;
  const problems: string[] = [];
  const catalogueRoutes = new Map<string, FunctionName>();
  for (const fn of WORKER_FUNCTIONS) {
    if (fn.trigger.type !== 'api') continue;
    for (const route of fn.trigger.routes) catalogueRoutes.set(key(route.method, route.path), fn.name);
  }
  const published = new Set<string>();
  for (const op of operations) {
    const k = key(op.method, op.path);
    published.add(k);
    const owner = catalogueRoutes.get(k);
    if (owner === undefined)
      problems.push(`route ${k} (${op.operationId}) is not a route of any catalogue function`);
    else if (owner !== op.functionName) {
      problems.push(
        `route ${k} (${op.operationId}) names function "${op.functionName}" but the catalogue gives it to "${owner}"`,
      );
    }
  }
  for (const [k, fn] of catalogueRoutes) {
    if (!published.has(k))
      problems.push(`catalogue route ${k} of "${fn}" is missing from the OpenAPI operations`);
  }
  if (problems.length > 0)
    throw new Error(`API routes and worker catalogue disagree:\n  - ${problems.join('\n  - ')}`);
}
