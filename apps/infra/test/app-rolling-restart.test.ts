import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { ROLLING_RESTART_DIR } from '../src/constructs/containers/rolling-restart.js';
import { type Json, resourcesOf, synthAppWithUpstreamDouble } from './app-fixture.js';

interface RestartModule {
  restartOnRotation(
    event: unknown,
    ctx: { ecs: ECSClient; cluster: string; services: string[]; secrets: string[] },
  ): Promise<{ restarted: string[]; ignored?: string }>;
  settingsFromEnvironment(env: Record<string, string | undefined>): unknown;
}
const fn = (await import(pathToFileURL(path.join(ROLLING_RESTART_DIR, 'index.mjs')).href)) as RestartModule;

const SECRET =
  'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:bandup/prod/database/app-credentials-AbCdEf';
const CLUSTER = 'arn:aws:ecs:ap-southeast-1:111111111111:cluster/bandup-prod-cluster';
const SERVICES = [
  'arn:aws:ecs:ap-southeast-1:111111111111:service/bandup-prod-cluster/backend-primary',
  'arn:aws:ecs:ap-southeast-1:111111111111:service/bandup-prod-cluster/backend-standby',
];
const rotationSucceeded = (secretId: string, eventName = 'RotationSucceeded') => ({
  source: 'aws.secretsmanager',
  'detail-type': 'AWS Service Event via CloudTrail',
  detail: {
    eventName,
    eventSource: 'secretsmanager.amazonaws.com',
    additionalEventData: { SecretId: secretId },
  },
});

/** ECS's JSON 1.1 API on loopback: records UpdateService calls, fails services listed in `failing`. */
let server: Server;
const calls: Json[] = [];
const failing = new Set<string>();
let ecs: ECSClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      const input = JSON.parse(body) as Json;
      calls.push({ target, input });
      if (failing.has(input.service)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ServiceNotActiveException', message: 'Service was not ACTIVE.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ service: { serviceArn: input.service, status: 'ACTIVE' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ecs = new ECSClient({
    region: 'ap-southeast-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('rolling restart function', () => {
  const ctx = () => ({ ecs, cluster: CLUSTER, services: SERVICES, secrets: [SECRET] });

  it('starts a new deployment of every backend service after a watched rotation', async () => {
    calls.length = 0;
    const result = await fn.restartOnRotation(rotationSucceeded(SECRET), ctx());
    expect(result.restarted).toEqual(SERVICES);
    expect(calls).toEqual(
      SERVICES.map((service) => ({
        target: 'AmazonEC2ContainerServiceV20141113.UpdateService',
        input: { cluster: CLUSTER, service, forceNewDeployment: true },
      })),
    );
  });

  it('ignores other secrets and other events', async () => {
    calls.length = 0;
    expect(await fn.restartOnRotation(rotationSucceeded(`${SECRET}x`), ctx())).toMatchObject({
      restarted: [],
    });
    expect(await fn.restartOnRotation(rotationSucceeded(SECRET, 'RotationFailed'), ctx())).toMatchObject({
      restarted: [],
    });
    expect(calls).toEqual([]);
  });

  it('restarts the other services when one fails, then fails so that Lambda retries', async () => {
    calls.length = 0;
    failing.add(SERVICES[0] as string);
    try {
      await expect(fn.restartOnRotation(rotationSucceeded(SECRET), ctx())).rejects.toThrow(
        /backend-primary: ServiceNotActiveException/,
      );
      expect(calls.map((c) => c.input.service)).toEqual(SERVICES);
    } finally {
      failing.clear();
    }
  });

  it('names every missing setting', () => {
    expect(() => fn.settingsFromEnvironment({})).toThrow('CLUSTER_ARN, SERVICE_ARNS, SECRET_ARNS');
  });
});

describe('rolling restart wiring in the app stack', () => {
  let stacks: Record<string, Json>;
  beforeAll(() => {
    stacks = synthAppWithUpstreamDouble(selectEnvironments(undefined));
  });

  it.each(['dev', 'prod'] as const)(
    '%s: rule on both rotating secrets -> function scoped to the backend services',
    (env) => {
      const stack = stacks[`bandup-${env}-app`] as Json;
      const rules = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_rule'));
      const rule = rules.find((r) => r.name === `bandup-${env}-backend-restart`) as Json;
      const pattern = JSON.parse(rule.event_pattern) as Json;
      expect(pattern.source).toEqual(['aws.secretsmanager']);
      expect(pattern.detail.eventName).toEqual(['RotationSucceeded']);
      const secretIds = pattern.detail.additionalEventData.SecretId as string[];
      expect(secretIds).toHaveLength(2);
      expect(secretIds.join()).toMatch(/secret-database-app/);
      expect(secretIds.join()).toMatch(/secret-cache-auth/);

      const fnResource = Object.values(resourcesOf(stack, 'aws_lambda_function')).find(
        (f) => f.function_name === `bandup-${env}-backend-restart`,
      ) as Json;
      expect(fnResource.reserved_concurrent_executions).toBe(1);
      const services = Object.keys(resourcesOf(stack, 'aws_ecs_service')).filter((id) =>
        id.startsWith('backend'),
      );
      expect(services.length).toBe(env === 'prod' ? 2 : 1);
      const serviceArns = fnResource.environment.variables.SERVICE_ARNS.split(',');
      expect(serviceArns.sort()).toEqual(services.map((id) => `\${aws_ecs_service.${id}.id}`).sort());

      const policy = Object.values(resourcesOf(stack, 'aws_iam_role_policy'))
        .map((p) => JSON.parse(p.policy) as Json)
        .find((p) => JSON.stringify(p).includes('ecs:UpdateService')) as Json;
      const update = (policy.Statement as Json[]).find((s) =>
        [s.Action].flat().includes('ecs:UpdateService'),
      ) as Json;
      expect([update.Resource].flat().sort()).toEqual([...serviceArns].sort());
      expect(update.Condition.ArnEquals['ecs:cluster']).toMatch(/aws_ecs_cluster/);
    },
  );
});
