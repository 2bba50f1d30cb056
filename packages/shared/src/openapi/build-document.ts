import type { FunctionName } from '../catalogue/worker-catalogue.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeySchema, JobIdSchema, UserIdSchema } from '../schemas/ids.js';
import * as z from '../schemas/zod.js';
import { type JsonObject, type JsonValue, toApiGatewaySchema } from './api-gateway-compat.js';
import { API_OPERATIONS, usesApiKey } from './api-operations.js';
import { OPENAPI_COMPONENTS } from './components.js';

export interface OpenApiDocumentOptions {
  /** `info.title`; default `Bandup AI API`. */
  readonly title?: string;
  /** `info.version`; default `1.0.0`. */
  readonly version?: string;
  /** Adds `servers: [{ url }]` when given. */
  readonly serverUrl?: string;
  /**
   * Lambda invoke URI per function (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`).
   * When given, every operation of that function gets an `aws_proxy` integration, so the document is
   * the whole API Gateway definition.
   */
  readonly lambdaInvokeUris?: Partial<Readonly<Record<FunctionName, string>>>;
}

/** An OpenAPI 3.0.1 document as plain JSON (what `aws_api_gateway_rest_api.body` takes, stringified). */
export interface OpenApiDocument extends JsonObject {
  openapi: '3.0.1';
  info: { title: string; version: string; description: string };
  paths: { [path: string]: JsonObject };
  components: { schemas: { [name: string]: JsonObject }; securitySchemes: JsonObject } & JsonObject;
}

const REF = '#/components/schemas/';
const ref = (name: string): JsonObject => ({ $ref: `${REF}${name}` });
const jsonContent = (name: string): JsonObject => ({ 'application/json': { schema: ref(name) } });

/** Tag of each API function's operations in the document. */
const OPERATION_TAGS: Partial<Record<FunctionName, string>> = {
  status: 'jobs',
  history: 'jobs',
  upload: 'uploads',
  'test-band': 'test bands',
};

/** Request validator applied to every operation: body and parameters are checked before a Lambda runs. */
const REQUEST_VALIDATOR = 'body-and-params';

/**
 * A failed body validation answers with the `ApiError` shape and API Gateway's list of problems,
 * instead of the bare default "Invalid request body". (`replaceAll` undoes escapeJavaScript's `\'`,
 * which is not valid JSON.)
 */
const BAD_REQUEST_BODY_TEMPLATE =
  '{"message":"Invalid request body: $util.escapeJavaScript($context.error.validationErrorString).replaceAll("\\\\\'","\'")"}';

/** Converts the registered zod schemas to OpenAPI 3.0 component schemas that API Gateway accepts. */
function componentSchemas(): { [name: string]: JsonObject } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(OPENAPI_COMPONENTS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'input',
    // Refinements (cross-field checks) cannot be expressed; the functions' zod parse enforces them.
    unrepresentable: 'throw',
    uri: (id) => `${REF}${id}`,
  }) as unknown as { schemas: { [name: string]: JsonObject } };
  return Object.fromEntries(
    Object.entries(generated.schemas).map(([name, schema]) => [name, toApiGatewaySchema(schema)]),
  );
}

function parameterSchema(schema: z.ZodMiniType): JsonObject {
  return toApiGatewaySchema(z.toJSONSchema(schema, { target: 'openapi-3.0' }) as unknown as JsonObject);
}

function errorResponse(description: string): JsonObject {
  return { description, content: jsonContent('ApiError') };
}

/** Builds the AI API's OpenAPI 3.0.1 document from the shared zod schemas and `API_OPERATIONS`. */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const paths: { [path: string]: JsonObject } = {};
  for (const op of API_OPERATIONS) {
    const parameters: JsonValue[] = [];
    if (op.path.includes('{jobId}')) {
      parameters.push({
        name: 'jobId',
        in: 'path',
        required: true,
        description: 'The job id returned by a submission',
        schema: parameterSchema(JobIdSchema),
      });
      // The backend asserts the learner it asks for; a job of another user answers 403.
      parameters.push({
        name: 'userId',
        in: 'query',
        required: true,
        description: 'The learner the backend is acting for (must own the job)',
        schema: parameterSchema(UserIdSchema),
      });
    }
    for (const query of op.queryParameters ?? []) {
      parameters.push({
        name: query.name,
        in: 'query',
        required: query.required,
        description: query.description,
        schema: parameterSchema(query.schema),
      });
    }
    if (op.idempotent) {
      parameters.push({
        name: IDEMPOTENCY_KEY_HEADER,
        in: 'header',
        required: false,
        description:
          'Makes the submission safe to retry: a repeated key with the same body returns the original job',
        schema: parameterSchema(IdempotencyKeySchema),
      });
    }
    const responses: JsonObject = {
      [String(op.successStatus)]: {
        description: op.successStatus === 202 ? 'Accepted: the job is queued' : 'OK',
        content: jsonContent(op.responseSchema),
      },
      '400': errorResponse('Invalid request: every invalid field is listed'),
      '403': errorResponse('Missing or invalid credentials or API key'),
    };
    if (op.path.includes('{jobId}')) {
      responses['403'] = errorResponse(
        'Missing or invalid credentials, or the job belongs to another learner',
      );
      responses['404'] = errorResponse('No such job');
    }
    if (op.idempotent)
      responses['409'] = errorResponse('Idempotency-Key reused with a different request body');
    for (const [status, description] of Object.entries(op.errorResponses ?? {})) {
      responses[status] = errorResponse(description);
    }
    responses['429'] = op.idempotent
      ? {
          ...errorResponse(
            'Throttled, usage-plan quota exceeded, or the learner reached the daily limit of their tier ' +
              'for this kind (code DAILY_LIMIT_REACHED)',
          ),
          headers: {
            'Retry-After': {
              description:
                'Seconds until the learner may submit again (daily limit: the start of their next day)',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : errorResponse('Throttled');
    responses['500'] = errorResponse('Internal error');

    const operation: JsonObject = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [OPERATION_TAGS[op.functionName] ?? 'submissions'],
      // Reads carry no API key, so they never count against the submissions' usage plan.
      security: usesApiKey(op) ? [{ sigv4: [], apiKey: [] }] : [{ sigv4: [] }],
      ...(parameters.length > 0 && { parameters }),
      ...(op.requestSchema !== undefined && {
        requestBody: { required: true, content: jsonContent(op.requestSchema) },
      }),
      responses,
    };
    const invokeUri = options.lambdaInvokeUris?.[op.functionName];
    if (invokeUri !== undefined) {
      operation['x-amazon-apigateway-integration'] = {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: invokeUri,
        passthroughBehavior: 'never',
      };
    }
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method.toLowerCase()]: operation };
  }

  return {
    openapi: '3.0.1',
    info: {
      title: options.title ?? 'Bandup AI API',
      version: options.version ?? '1.0.0',
      description:
        'IELTS Writing and Speaking assessment and RAG flashcards. Submissions are asynchronous: ' +
        'a 202 returns a job id to poll at GET /v1/jobs/{jobId} (or to wait for its completion event). ' +
        "GET /v1/jobs lists a learner's jobs; the test-band routes combine finished tasks and parts into " +
        'the Writing or Speaking band of a test.',
    },
    ...(options.serverUrl !== undefined && { servers: [{ url: options.serverUrl }] }),
    // Every operation needs SigV4 (IAM); submissions also an API key (usage plan throttle and quota).
    security: [{ sigv4: [], apiKey: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
        apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    },
    'x-amazon-apigateway-api-key-source': 'HEADER',
    'x-amazon-apigateway-request-validators': {
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    },
    'x-amazon-apigateway-request-validator': REQUEST_VALIDATOR,
    'x-amazon-apigateway-gateway-responses': {
      BAD_REQUEST_BODY: {
        statusCode: 400,
        responseTemplates: { 'application/json': BAD_REQUEST_BODY_TEMPLATE },
      },
    },
  };
}
