import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context, SQSEvent, SQSRecord } from 'aws-lambda';

export const BACKEND_ROLE_ARN = 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/7f3c2a';

export interface ApiEventInput {
  readonly method?: string;
  /** Resource template, e.g. `/v1/jobs/{jobId}`. */
  readonly resource: string;
  /** Concrete path; defaults to the resource. */
  readonly path?: string;
  /** Objects are JSON-encoded; strings are sent as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** `null` for an unsigned request. */
  readonly userArn?: string | null;
}

/** A REST API (v1) Lambda proxy event as API Gateway sends it with IAM authorization. */
export function apiEvent(input: ApiEventInput): APIGatewayProxyEvent {
  const method = input.method ?? 'POST';
  const path = input.path ?? input.resource;
  const headers = {
    'Content-Type': 'application/json',
    Host: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
    ...input.headers,
  };
  const userArn = input.userArn === undefined ? BACKEND_ROLE_ARN : input.userArn;
  return {
    resource: input.resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: input.query
      ? Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body:
      input.body === undefined
        ? null
        : typeof input.body === 'string'
          ? input.body
          : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      path: `/v1${path}`,
      stage: 'v1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: input.resource,
      identity: {
        accessKey: userArn ? 'ASIAEXAMPLE' : null,
        accountId: userArn ? '123456789012' : null,
        apiKey: 'test-api-key',
        apiKeyId: 'key123',
        caller: userArn ? 'AROAEXAMPLE:7f3c2a' : null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '10.0.2.15',
        user: userArn ? 'AROAEXAMPLE:7f3c2a' : null,
        userAgent: 'bandup-backend/1.0',
        userArn,
      },
    },
  };
}

export function sqsRecord(
  body: string,
  options: { queueArn?: string; receiveCount?: number; messageId?: string } = {},
): SQSRecord {
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `rh-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'AROAEXAMPLE:submit',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: 'ignored',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? 'arn:aws:sqs:ap-southeast-1:123456789012:bandup-dev-writing',
    awsRegion: 'ap-southeast-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** A Lambda context with a fixed request id and plenty of time left. */
export function lambdaContext(functionName = 'bandup-dev-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/03/01/[$LATEST]abc',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
