import { validate } from '@readme/openapi-parser';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import {
  API_OPERATIONS,
  buildOpenApiDocument,
  findApiGatewayIncompatibilities,
  type JsonObject,
  OPENAPI_COMPONENTS,
  toApiGatewaySchema,
  usesApiKey,
} from '../src/index.js';
import { USER, UUID } from './helpers.js';

const doc = buildOpenApiDocument({
  title: 'Bandup AI API (test)',
  version: '9.9.9',
  serverUrl: 'https://api.example.test',
});

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: { $ref: string } } } };
  responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }>;
  'x-amazon-apigateway-integration'?: { type: string; uri: string; httpMethod: string };
};
const operation = (path: string, method: string): Operation =>
  (doc.paths[path] as Record<string, unknown>)[method] as Operation;

describe('buildOpenApiDocument', () => {
  it('is a valid OpenAPI 3.0.1 document according to @readme/openapi-parser', async () => {
    expect(doc.openapi).toBe('3.0.1');
    expect(doc.info).toMatchObject({ title: 'Bandup AI API (test)', version: '9.9.9' });
    expect(doc.servers).toEqual([{ url: 'https://api.example.test' }]);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    // Full dereference and schema validation: seconds on a busy machine, so more than the default 5 s.
  }, 30_000);

  it('has every route of API_OPERATIONS with its operationId and a body for POSTs', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/flashcards/sets',
      '/v1/jobs',
      '/v1/jobs/{jobId}',
      '/v1/speaking/assessments',
      '/v1/speaking/test-band',
      '/v1/uploads',
      '/v1/writing/assessments',
      '/v1/writing/test-band',
    ]);
    for (const op of API_OPERATIONS) {
      const o = operation(op.path, op.method.toLowerCase());
      expect(o.operationId).toBe(op.operationId);
      if (op.method === 'POST') {
        expect(o.requestBody?.required).toBe(true);
        expect(o.requestBody?.content['application/json'].schema.$ref).toBe(
          `#/components/schemas/${op.requestSchema}`,
        );
      } else {
        expect(o.requestBody).toBeUndefined();
      }
      expect(o.responses[String(op.successStatus)]?.content['application/json'].schema.$ref).toBe(
        `#/components/schemas/${op.responseSchema}`,
      );
      for (const status of ['400', '403']) {
        expect(
          o.responses[status]?.content['application/json'].schema.$ref,
          `${op.operationId} ${status}`,
        ).toBe('#/components/schemas/ApiError');
      }
    }
    expect(operation('/v1/jobs/{jobId}', 'get').responses['404']).toBeDefined();
    expect(operation('/v1/jobs/{jobId}', 'get').parameters).toEqual([
      expect.objectContaining({ name: 'jobId', in: 'path', required: true }),
      expect.objectContaining({ name: 'userId', in: 'query', required: true }),
    ]);
  });

  it('puts the Idempotency-Key header on the three submit routes only', () => {
    const withHeader = API_OPERATIONS.filter((op) =>
      operation(op.path, op.method.toLowerCase()).parameters?.some(
        (p) => p.name === 'Idempotency-Key' && p.in === 'header',
      ),
    ).map((op) => op.operationId);
    expect(withHeader.sort()).toEqual([
      'submitFlashcardSet',
      'submitSpeakingAssessment',
      'submitWritingAssessment',
    ]);
  });

  it('generates every component from the zod schemas and resolves every $ref', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual(Object.keys(OPENAPI_COMPONENTS).sort());
    for (const name of Object.keys(doc.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9]+$/);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref as string);
    // The status body's result reuses the result components rather than copying them.
    expect(JSON.stringify(doc.components.schemas.JobStatusResponse)).toContain(
      '#/components/schemas/WritingResult',
    );
  });

  it('uses only what API Gateway (JSON Schema draft 4 models) accepts', () => {
    expect(findApiGatewayIncompatibilities(doc.components.schemas as JsonObject)).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/"\$defs"|"\$schema"|"const"|"exclusiveMinimum"|"propertyNames"/);
  });

  it('adds aws_proxy integrations, SigV4 and API key security and a request validator', () => {
    const uri = (fn: string) =>
      `arn:aws:apigateway:ap-southeast-1:lambda:path/2015-03-31/functions/${fn}/invocations`;
    const integrated = buildOpenApiDocument({
      lambdaInvokeUris: {
        submit: uri('submit'),
        status: uri('status'),
        upload: uri('upload'),
        history: uri('history'),
        'test-band': uri('test-band'),
      },
    });
    for (const op of API_OPERATIONS) {
      const o = (integrated.paths[op.path] as Record<string, Operation>)[op.method.toLowerCase()];
      expect(o?.['x-amazon-apigateway-integration']).toEqual({
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: uri(op.functionName),
        passthroughBehavior: 'never',
      });
    }
    expect(operation('/v1/uploads', 'post')['x-amazon-apigateway-integration']).toBeUndefined();
    expect(integrated.security).toEqual([{ sigv4: [], apiKey: [] }]);
    expect(integrated['x-amazon-apigateway-request-validator']).toBe('body-and-params');
    expect(integrated['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    // A body API Gateway rejects still answers in the ApiError shape, with the validator's findings.
    expect(integrated['x-amazon-apigateway-gateway-responses']).toMatchObject({
      BAD_REQUEST_BODY: {
        statusCode: 400,
        responseTemplates: {
          'application/json': expect.stringContaining('$context.error.validationErrorString'),
        },
      },
    });
  });
});

describe('route classes, query parameters and errors of the read routes', () => {
  it('requires the API key on submissions and uploads only: reads never count against the quota', () => {
    const withKey = API_OPERATIONS.filter((op) =>
      JSON.stringify(
        (doc.paths[op.path] as Record<string, { security: unknown }>)[op.method.toLowerCase()]?.security,
      ).includes('apiKey'),
    ).map((op) => op.operationId);
    expect(withKey.sort()).toEqual([
      'createUpload',
      'submitFlashcardSet',
      'submitSpeakingAssessment',
      'submitWritingAssessment',
    ]);
    for (const op of API_OPERATIONS.filter((o) => o.method === 'GET')) {
      expect(usesApiKey(op), op.operationId).toBe(false);
      expect(operation(op.path, 'get')).toMatchObject({ security: [{ sigv4: [] }] });
    }
  });

  it('declares the history and test-band query parameters with their required flags', () => {
    const params = (path: string) =>
      operation(path, 'get').parameters?.map((p) => `${p.in}:${p.name}:${p.required}`);
    expect(params('/v1/jobs')).toEqual([
      'query:userId:true',
      'query:kind:false',
      'query:limit:false',
      'query:cursor:false',
    ]);
    expect(params('/v1/writing/test-band')).toEqual([
      'query:userId:true',
      'query:task1JobId:true',
      'query:task2JobId:true',
    ]);
    expect(params('/v1/speaking/test-band')).toEqual([
      'query:userId:true',
      'query:part1JobId:true',
      'query:part2JobId:true',
      'query:part3JobId:true',
    ]);
  });

  it('lists the 409 and 422 answers of the test-band routes and a Retry-After on submission 429s', () => {
    for (const path of ['/v1/writing/test-band', '/v1/speaking/test-band']) {
      const responses = operation(path, 'get').responses;
      expect(Object.keys(responses).sort()).toEqual(['200', '400', '403', '409', '422', '429', '500']);
    }
    expect(operation('/v1/jobs', 'get').responses['404']).toBeUndefined();
    const submit429 = operation('/v1/writing/assessments', 'post').responses['429'] as unknown as {
      headers?: Record<string, unknown>;
    };
    expect(submit429.headers).toHaveProperty('Retry-After');
  });
});

describe('component schemas validate bodies as API Gateway would (draft 4)', () => {
  // ajv-draft-04 is CommonJS: its class is the module itself (and `.default`).
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false });
  const definitions = JSON.parse(
    JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/definitions/'),
  ) as JsonObject;
  const validator = (name: string) => ajv.compile({ definitions, $ref: `#/definitions/${name}` });

  const flashcards = {
    userId: USER,
    documentKey: `uploads/documents/${USER}/${UUID}.pdf`,
    count: 10,
    difficulty: 'easy',
    cardTypes: ['definition'],
  };
  const speaking = {
    userId: USER,
    part: 3,
    questions: ['Why do people travel?'],
    audioKey: `uploads/speaking/${USER}/${UUID}.mp3`,
  };
  const writing = {
    userId: USER,
    taskType: 'task2',
    prompt: 'Discuss both views.',
    essay: 'An essay long enough.',
  };

  it.each([
    ['FlashcardSetRequest', flashcards],
    ['SpeakingAssessmentRequest', speaking],
    ['WritingAssessmentRequest', writing],
    ['UploadRequest', { userId: USER, kind: 'documents', contentType: 'text/markdown', sizeBytes: 2048 }],
    ['WritingAssessmentRequest', { ...writing, language: 'vi', learnerTier: 'premium' }],
    ['SpeakingAssessmentRequest', { ...speaking, language: 'en' }],
    ['FlashcardSetRequest', { ...flashcards, language: 'vi', learnerTier: 'free' }],
  ])('accepts a valid %s', (name, body) => {
    const validate = validator(name);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['FlashcardSetRequest', { ...flashcards, count: 51 }],
    ['FlashcardSetRequest', { ...flashcards, count: 0 }],
    ['FlashcardSetRequest', { ...flashcards, cardTypes: ['definition', 'definition'] }],
    ['FlashcardSetRequest', { ...flashcards, documentKey: `uploads/documents/${USER}/${UUID}.exe` }],
    ['SpeakingAssessmentRequest', { ...speaking, part: 4 }],
    ['SpeakingAssessmentRequest', { ...speaking, questions: ['   '] }],
    ['WritingAssessmentRequest', { ...writing, essay: 'x'.repeat(12_001) }],
    ['WritingAssessmentRequest', { ...writing, score: 9 }],
    ['WritingAssessmentRequest', { ...writing, language: 'fr' }],
    ['SpeakingAssessmentRequest', { ...speaking, learnerTier: 'gold' }],
    ['WritingAssessmentRequest', { ...writing, userId: '../admin' }],
    ['UploadRequest', { userId: USER, kind: 'speaking', contentType: 'application/pdf', sizeBytes: 10 }],
    [
      'UploadRequest',
      { userId: USER, kind: 'documents', contentType: 'text/plain', sizeBytes: 20 * 1024 * 1024 + 1 },
    ],
  ])('rejects a bad %s: %j', (name, body) => {
    expect(validator(name)(body)).toBe(false);
  });
});

describe('toApiGatewaySchema', () => {
  it('rewrites const, exclusive bounds and drops annotations', () => {
    expect(
      toApiGatewaySchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          kind: { const: 'x', examples: ['x'] },
          n: { type: 'integer', exclusiveMinimum: 0 },
          m: { type: 'number', minimum: 0, exclusiveMinimum: true },
          id: { type: 'string', format: 'int64' },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        kind: { enum: ['x'] },
        n: { type: 'integer', minimum: 1 },
        m: { type: 'number', minimum: 0 },
        id: { type: 'string' },
      },
    });
  });

  it('refuses $defs and if/then', () => {
    expect(() => toApiGatewaySchema({ $defs: {} })).toThrow(
      'register the repeated schema as an OpenAPI component',
    );
    // Built from JSON: an object literal with a `then` key reads like a thenable to linters.
    expect(() => toApiGatewaySchema(JSON.parse('{"if":{},"then":{}}'))).toThrow('if/then/else');
  });
});
