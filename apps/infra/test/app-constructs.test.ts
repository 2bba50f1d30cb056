import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { App, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  ActivePassiveFailover,
  type ActivePassiveFailoverProps,
} from '../src/constructs/containers/active-passive-failover.js';
import { ContainerRepository } from '../src/constructs/containers/container-repository.js';
import {
  FargateTaskDefinition,
  type FargateTaskDefinitionProps,
} from '../src/constructs/containers/fargate-task-definition.js';
import { HttpsLoadBalancer } from '../src/constructs/containers/https-load-balancer.js';
import { EncryptedLogGroup } from '../src/constructs/observability/log-group.js';
import {
  BACKEND_SECRET_ENVIRONMENT,
  backendSecretBindings,
} from '../src/stacks/app/app-backend-environment.js';

const stack = () => new TerraformStack(new App(), 'constructs-test');

function failoverProps(
  scope: TerraformStack,
  overrides: Partial<ActivePassiveFailoverProps> = {},
): ActivePassiveFailoverProps {
  return {
    name: 'bandup-test-backend',
    standby: new AppautoscalingTarget(scope, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: 'service/c/s',
      minCapacity: 1,
      maxCapacity: 2,
    }),
    primaryAvailabilityZone: 'ap-southeast-1a',
    primaryMinimumHealthy: 2,
    replacement: { unhealthySeconds: 45, graceSeconds: 120, healthySeconds: 30 },
    failoverCount: 2,
    warmCount: 1,
    targetGroupArnSuffix: 'targetgroup/x/1',
    loadBalancerArnSuffix: 'app/x/1',
    notificationTopicArn: 'arn:aws:sns:ap-southeast-1:111111111111:t',
    ...overrides,
  };
}

function taskProps(
  scope: TerraformStack,
  overrides: Partial<FargateTaskDefinitionProps> = {},
): FargateTaskDefinitionProps {
  return {
    family: 'bandup-test-backend',
    accountId: '111111111111',
    region: 'ap-southeast-1',
    cpu: 1024,
    memoryMib: 2048,
    cpuArchitecture: 'ARM64',
    repository: new ContainerRepository(scope, 'repo', {
      name: 'bandup-test-backend',
      accountId: '111111111111',
      encryptionKey: { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/k' },
      keepOtherTaggedImages: 10,
      untaggedExpiryDays: 3,
      forceDelete: true,
    }),
    imageTag: 'v1.0.0',
    containerName: 'backend',
    containerPort: 8080,
    portName: 'http',
    environment: { DB_HOST: 'db' },
    secrets: [
      { name: 'DB_PASSWORD', secretArn: 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:s' },
    ],
    secretKeys: [],
    healthCheck: { command: ['CMD', 'true'], startPeriodSeconds: 60 },
    user: '10001',
    readonlyRootFilesystem: true,
    logGroup: new EncryptedLogGroup(scope, 'logs', {
      name: '/t',
      retentionInDays: 7,
      kmsKey: { arn: 'arn:k' },
    }),
    withTaskRole: true,
    executeCommandEnabled: false,
    ...overrides,
  };
}

describe('app constructs reject bad input with a message naming it', () => {
  it('ActivePassiveFailover: the failover size must exceed the warm count', () => {
    const s = stack();
    expect(
      () => new ActivePassiveFailover(s, 'f', failoverProps(s, { failoverCount: 1, warmCount: 1 })),
    ).toThrow(/failover count \(1\) must exceed the warm count \(1\)/);
    const ok = stack();
    expect(() => new ActivePassiveFailover(ok, 'f', failoverProps(ok))).not.toThrow();
  });

  it('FargateTaskDefinition: Fargate sizes, a non-root user, and no variable both plain and secret', () => {
    const s = stack();
    expect(() => new FargateTaskDefinition(s, 'a', taskProps(s, { memoryMib: 1000 }))).toThrow(
      /memory 1000 MiB is not valid with cpu 1024/,
    );
    const s2 = stack();
    expect(() => new FargateTaskDefinition(s2, 'b', taskProps(s2, { user: '0:0' }))).toThrow(/non-root/);
    const s3 = stack();
    expect(
      () => new FargateTaskDefinition(s3, 'c', taskProps(s3, { environment: { DB_PASSWORD: 'x' } })),
    ).toThrow(/DB_PASSWORD declared both as environment and as secret/);
    const ok = stack();
    const td = new FargateTaskDefinition(ok, 'd', taskProps(ok));
    expect(td.taskRole).toBeDefined();
    expect(td.taskRole).not.toBe(td.executionRole);
  });

  it('ContainerRepository: lifecycle counts must be positive integers', () => {
    const s = stack();
    expect(
      () =>
        new ContainerRepository(s, 'r', {
          name: 'bandup-test-frontend',
          accountId: '111111111111',
          encryptionKey: { arn: 'arn:k' },
          keepOtherTaggedImages: 0,
          untaggedExpiryDays: 1,
          forceDelete: false,
        }),
    ).toThrow(/keepOtherTaggedImages must be a positive integer/);
  });

  it('HttpsLoadBalancer: names within the 32-character ALB limit', () => {
    const s = stack();
    expect(
      () =>
        new HttpsLoadBalancer(s, 'alb', {
          name: 'bandup-a-very-long-environment-name-alb',
          vpcId: 'vpc-1',
          subnetIds: ['a', 'b'],
          securityGroupIds: ['sg'],
          accessLogs: { bucket: 'b', prefix: 'alb' },
          deletionProtection: false,
          idleTimeoutSeconds: 60,
          domainName: 'example.com',
          hostedZoneId: 'Z1',
          defaultTarget: { name: 'fe', port: 3000, healthCheckPath: '/' },
        }),
    ).toThrow(/longer than 32 characters/);
  });

  it('backend secrets: an unmapped data-stack secret fails synth instead of never reaching the backend', () => {
    expect(() => backendSecretBindings(['jwt', 'stripe'])).toThrow(/"stripe".*BACKEND_SECRET_ENVIRONMENT/);
    const bindings = backendSecretBindings(['jwt']);
    expect(bindings).toEqual(
      Object.entries(BACKEND_SECRET_ENVIRONMENT.jwt ?? {}).map(([env, jsonKey]) => ({
        env,
        secret: 'jwt',
        jsonKey,
      })),
    );
  });
});
