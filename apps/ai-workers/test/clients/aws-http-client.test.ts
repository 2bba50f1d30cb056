import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentCredentials } from '../../src/clients/aws-credentials.js';
import {
  type AwsCall,
  AwsHttpClient,
  AwsServiceError,
  DYNAMODB,
  SQS,
  serviceEndpoint,
} from '../../src/clients/aws-http-client.js';
import { traceAwsCalls } from '../../src/runtime/aws-call-tracing.js';
import { classifyError } from '../../src/runtime/error-classification.js';
import { type FakeHttpServer, type FakeResponse, startFakeHttpServer } from '../fakes/fake-http-server.js';
import { resignedAuthorization, SIGNING_CREDENTIALS } from '../support/sigv4-resign.js';

/**
 * The light JSON-protocol client (here as DynamoDB) against a loopback HTTP server that plays DynamoDB's JSON 1.0 protocol:
 * what goes on the wire (signed as AWS verifies it), which failures are retried and how often, the
 * enforced timeout, and the SDK-shaped errors its callers classify.
 */
const CREDENTIALS = SIGNING_CREDENTIALS;
const REGION = 'ap-southeast-1';

let servers: FakeHttpServer[] = [];
const clients: AwsHttpClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  delete process.env._X_AMZN_TRACE_ID;
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

/** A fake whose answers are taken in order (the last one repeats). */
async function fakeDynamo(...answers: FakeResponse[]): Promise<FakeHttpServer> {
  let call = 0;
  const server = await startFakeHttpServer({
    'POST /': () => answers[Math.min(call++, answers.length - 1)]!,
  });
  servers.push(server);
  return server;
}

function clientFor(
  server: FakeHttpServer,
  options: { maxAttempts?: number; requestTimeoutMs?: number } = {},
) {
  const client = new AwsHttpClient(DYNAMODB, {
    endpoint: server.url,
    region: REGION,
    credentials: CREDENTIALS,
    ...options,
  });
  clients.push(client);
  return client;
}

const dynamoError = (type: string, message: string, status = 400): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${type}` },
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as AwsServiceError,
  );

describe('the request on the wire', () => {
  it('is a JSON 1.0 POST naming the operation, signed with SigV4 over exactly what was sent', async () => {
    const server = await fakeDynamo({ body: { Item: { jobId: { S: 'j1' } } } });
    const answer = await clientFor(server).send('GetItem', { TableName: 't', Key: { jobId: { S: 'j1' } } });
    expect(answer).toEqual({ Item: { jobId: { S: 'j1' } } });

    const [request] = server.requests;
    expect(request!.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.json()).toEqual({ TableName: 't', Key: { jobId: { S: 'j1' } } });
    expect(request!.headers['x-amz-security-token']).toBe('local-token');
    const authorization = String(request!.headers.authorization);
    expect(authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDLOCAL/\\d{8}/${REGION}/dynamodb/aws4_request, `),
    );

    // Re-sign what the server received, at the request's own date: the signatures match only if the
    // body, path and signed headers arrived exactly as they were signed (what DynamoDB checks).
    const resigned = await resignedAuthorization(request!, {
      serverUrl: server.url,
      service: 'dynamodb',
      region: REGION,
      credentials: CREDENTIALS,
      path: '/',
    });
    expect(resigned).toBe(authorization);
  });

  it("forwards the invocation's trace header inside Lambda, as the SDK does", async () => {
    const server = await fakeDynamo({ body: {} });
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'bandup-dev-status';
    process.env._X_AMZN_TRACE_ID =
      'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';
    await clientFor(server).send('GetItem', { TableName: 't', Key: {} });
    expect(server.requests[0]!.headers['x-amzn-trace-id']).toBe(process.env._X_AMZN_TRACE_ID);
  });
});

describe('retries', () => {
  it('retries a 5xx and a throttle, and reports how many attempts the call took', async () => {
    const server = await fakeDynamo(
      dynamoError('InternalServerError', 'Internal server error', 500),
      dynamoError('ProvisionedThroughputExceededException', 'Rate exceeded'),
      { body: { Attributes: { n: { N: '1' } } } },
    );
    const client = clientFor(server);
    const calls: AwsCall[] = [];
    client.addCallObserver((call) => calls.push(call));
    await expect(client.send('UpdateItem', { TableName: 't' })).resolves.toEqual({
      Attributes: { n: { N: '1' } },
    });
    expect(server.requests).toHaveLength(3);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ service: 'DynamoDB', operation: 'UpdateItem', region: REGION });
    expect(calls[0]!.metadata).toMatchObject({ httpStatusCode: 200, attempts: 3 });
  });

  it('never retries a refused condition: it is an answer, not a fault', async () => {
    const server = await fakeDynamo(
      dynamoError('ConditionalCheckFailedException', 'The conditional request failed'),
    );
    const error = await failure(clientFor(server).send('PutItem', { TableName: 't' }));
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-ConditionalCheckFailedException', attempts: 1 },
    });
  });

  it('gives up after maxAttempts with the last error, which callers classify as transient', async () => {
    const server = await fakeDynamo(dynamoError('ThrottlingException', 'Slow down'));
    const error = await failure(clientFor(server, { maxAttempts: 2 }).send('Query', { TableName: 't' }));
    expect(server.requests).toHaveLength(2);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 2 } });
    expect(classifyError(error).type).toBe('transient');
  });

  it('a 5xx without a DynamoDB error body is a server fault', async () => {
    const server = await fakeDynamo({ status: 503, body: 'Service Unavailable' });
    const error = await failure(clientFor(server, { maxAttempts: 1 }).send('GetItem', { TableName: 't' }));
    expect(error).toMatchObject({
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    expect(error.message).toBe('DynamoDB answered HTTP 503');
    expect(classifyError(error).type).toBe('transient');
  });

  it('a rejected request (validation) fails at once and is permanent for the job', async () => {
    const server = await fakeDynamo(
      dynamoError('ValidationException', 'One or more parameter values were invalid'),
    );
    const error = await failure(clientFor(server).send('PutItem', { TableName: 't' }));
    expect(server.requests).toHaveLength(1);
    expect(classifyError(error).type).toBe('permanent');
  });
});

describe('timeouts and network failures', () => {
  it('a hung call fails at its request timeout as a transient TimeoutError', async () => {
    const server = await fakeDynamo({ body: {}, delayMs: 10_000 });
    const error = await failure(
      clientFor(server, { maxAttempts: 1, requestTimeoutMs: 300 }).send('GetItem', { TableName: 't' }),
    );
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('TimeoutError');
    expect(classifyError(error).type).toBe('transient');
  });

  it('a refused connection keeps its network code and is transient', async () => {
    const server = await fakeDynamo({ body: {} });
    const client = clientFor(server, { maxAttempts: 1 });
    await server.close();
    servers = [];
    const error = await failure(client.send('GetItem', { TableName: 't' }));
    expect(error.code).toBe('ECONNREFUSED');
    expect(classifyError(error).type).toBe('transient');
  });
});

describe('a warm container', () => {
  it('recovers when the service dropped the kept-alive connection while the function was frozen', async () => {
    // Lambda freezes a container between invocations; the far end closes the idle socket meanwhile,
    // and the next call finds it dead (ECONNRESET). That call must retry on a fresh connection.
    let calls = 0;
    const server = createServer((request, response) => {
      calls += 1;
      request.resume();
      request.on('end', () => {
        if (calls === 2) {
          request.socket.destroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new AwsHttpClient(DYNAMODB, { endpoint: url, region: REGION, credentials: CREDENTIALS });
    clients.push(client);
    const observed: AwsCall[] = [];
    client.addCallObserver((call) => observed.push(call));
    try {
      await client.send('GetItem', { TableName: 't' });
      await client.send('GetItem', { TableName: 't' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
    expect(calls).toBe(3);
    expect(observed.map((call) => call.metadata.attempts)).toEqual([1, 2]);
  });
});

describe('endpoint', () => {
  it('is the regional endpoint unless the SDK-style overrides say otherwise', () => {
    expect(serviceEndpoint(DYNAMODB, 'ap-southeast-1', undefined, {}).href).toBe(
      'https://dynamodb.ap-southeast-1.amazonaws.com/',
    );
    expect(serviceEndpoint(DYNAMODB, 'cn-north-1', undefined, {}).href).toBe(
      'https://dynamodb.cn-north-1.amazonaws.com.cn/',
    );
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2' };
    expect(serviceEndpoint(DYNAMODB, REGION, undefined, env).port).toBe('2');
    expect(
      serviceEndpoint(DYNAMODB, REGION, undefined, { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }).port,
    ).toBe('1');
    expect(serviceEndpoint(DYNAMODB, REGION, 'http://127.0.0.1:3', env).port).toBe('3');
    expect(serviceEndpoint(SQS, REGION, undefined, {}).href).toBe(
      'https://sqs.ap-southeast-1.amazonaws.com/',
    );
    expect(
      serviceEndpoint(SQS, REGION, undefined, { AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4', ...env }).port,
    ).toBe('4');
  });

  it("signs with Lambda's environment credentials, and names the variables when they are missing", () => {
    expect(
      environmentCredentials({
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY: 's',
        AWS_SESSION_TOKEN: 't',
      }),
    ).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
      sessionToken: 't',
    });
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' })).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
    });
    expect(() => environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID' })).toThrow(
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
    );
  });

  it('needs a region', () => {
    const region = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => new AwsHttpClient(DYNAMODB)).toThrow('AWS_REGION is not set');
    } finally {
      process.env.AWS_REGION = region;
    }
  });
});

describe('X-Ray subsegments', () => {
  let daemon: Socket | undefined;
  afterEach(() => {
    daemon?.close();
    daemon = undefined;
    delete process.env.AWS_XRAY_DAEMON_ADDRESS;
  });

  it('traceAwsCalls records each call of the light client, as it does for SDK clients', async () => {
    const datagrams: string[] = [];
    daemon = createSocket('udp4');
    daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
    await new Promise<void>((resolve) => daemon!.bind(0, '127.0.0.1', resolve));
    process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
    process.env._X_AMZN_TRACE_ID =
      'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

    const server = await fakeDynamo(
      dynamoError('ConditionalCheckFailedException', 'The conditional request failed'),
    );
    const client = traceAwsCalls(clientFor(server));
    await failure(client.send('PutItem', { TableName: 't' }));
    for (let i = 0; i < 100 && datagrams.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const segment = JSON.parse(datagrams[0]!.split('\n')[1]!) as Record<string, unknown>;
    expect(segment).toMatchObject({
      trace_id: '1-67891233-abcdef012345678912345678',
      parent_id: '53995c3f42cd8ad8',
      name: 'DynamoDB',
      aws: {
        operation: 'PutItem',
        region: REGION,
        retries: 0,
        request_id: 'req-ConditionalCheckFailedException',
      },
      http: { response: { status: 400 } },
      error: true,
      cause: { exceptions: [{ type: 'ConditionalCheckFailedException' }] },
    });
  });
});
