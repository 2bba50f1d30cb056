import { beforeAll, describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { type EnvironmentInput, loadEnvironment, selectEnvironments } from '../src/config/index.js';
import { prod } from '../src/config/prod.js';
import { backendStickiness } from '../src/stacks/app/app-edge.js';
import {
  FAKE_JOB_EVENTS_QUEUE_ARN,
  FAKE_JOB_EVENTS_QUEUE_URL,
  type Json,
  resourcesOf,
  synthAppWithUpstreamDouble,
} from './app-fixture.js';

/**
 * Issue items for the app: `/ws` stickiness on the backend target group, the public WebSocket URL
 * for the frontend, the completion-event queue and SMTP settings for the backend.
 */
const containerEnv = (stack: Json, familySuffix: string): Record<string, string> => {
  const td = Object.values(resourcesOf(stack, 'aws_ecs_task_definition')).find((t) =>
    String(t.family).endsWith(familySuffix),
  ) as Json;
  const [first] = JSON.parse(td.container_definitions) as Json[];
  return Object.fromEntries(((first?.environment ?? []) as Json[]).map((e) => [e.name, e.value]));
};
const backendTargetGroup = (stack: Json, env: string): Json =>
  Object.values(resourcesOf(stack, 'aws_lb_target_group')).find(
    // Target group names end in a content suffix (replaceable before destroy): match the prefix.
    (tg) => String(tg.name).startsWith(`bandup-${env}-backend-`),
  ) as Json;

let defaults: Record<string, Json>;
beforeAll(() => {
  defaults = synthAppWithUpstreamDouble(selectEnvironments(undefined));
}, 120_000);

const withEcs = (base: EnvironmentInput, patch: (ecs: EnvironmentInput['ecs']) => EnvironmentInput['ecs']) =>
  loadEnvironment({ ...structuredClone(base), ecs: patch(structuredClone(base.ecs)) });

describe('backend stickiness (config: ecs.backendStickiness)', () => {
  it.each<[string, ReturnType<typeof loadEnvironment>, boolean, boolean]>([
    ['dev (active-active, scales to 2): auto -> on', loadEnvironment(dev), true, true],
    [
      'prod (active-passive: primary and standby share the group): auto -> on',
      loadEnvironment(prod),
      true,
      true,
    ],
    [
      'a single task that never scales: auto -> off',
      withEcs(dev, (ecs) => ({ ...ecs, backend: { ...ecs.backend, maxCount: 1 } })),
      false,
      false,
    ],
    [
      'active-passive with a one-task primary still has two tasks: on',
      withEcs(prod, (ecs) => ({
        ...ecs,
        backend: { ...ecs.backend, desiredCount: 1, minCount: 1, maxCount: 1 },
      })),
      true,
      true,
    ],
    [
      'explicitly off',
      withEcs(dev, (ecs) => ({ ...ecs, backendStickiness: { enabled: false } })),
      false,
      true,
    ],
    [
      'explicitly on with one task',
      withEcs(dev, (ecs) => ({
        ...ecs,
        backend: { ...ecs.backend, maxCount: 1 },
        backendStickiness: { enabled: true },
      })),
      true,
      false,
    ],
  ])('%s', (_name, config, enabled, severalTasks) => {
    expect(backendStickiness(config)).toEqual({ enabled, severalTasks });
  });

  it('rejects a cookie duration outside 1 s - 7 days, naming the field', () => {
    expect(() => withEcs(dev, (ecs) => ({ ...ecs, backendStickiness: { durationSeconds: 0 } }))).toThrow(
      /ecs\.backendStickiness\.durationSeconds/,
    );
    expect(() =>
      withEcs(dev, (ecs) => ({ ...ecs, backendStickiness: { durationSeconds: 604_801 } })),
    ).toThrow(/ecs\.backendStickiness\.durationSeconds/);
  });

  it('synthesizes lb_cookie stickiness on the backend group only, and none when turned off', () => {
    for (const config of selectEnvironments(undefined)) {
      const stack = defaults[`bandup-${config.name}-app`] as Json;
      expect(backendTargetGroup(stack, config.name).stickiness).toEqual({
        type: 'lb_cookie',
        enabled: true,
        cookie_duration: config.ecs.backendStickiness.durationSeconds,
      });
      const frontend = Object.values(resourcesOf(stack, 'aws_lb_target_group')).find((tg) =>
        String(tg.name).startsWith(`bandup-${config.name}-frontend-`),
      ) as Json;
      expect(frontend.stickiness.enabled).toBe(false);
    }

    const off = withEcs(dev, (ecs) => ({ ...ecs, backendStickiness: { enabled: false } }));
    const offStack = synthAppWithUpstreamDouble([off])['bandup-dev-app'] as Json;
    expect(backendTargetGroup(offStack, 'dev').stickiness.enabled).toBe(false);
  }, 120_000);
});

describe('frontend and backend environment', () => {
  it('frontend: the public WebSocket URL; backend: event queue URL and SMTP submission with STARTTLS required', () => {
    const all = defaults;
    for (const [env, domain] of [
      ['dev', 'dev.bandup.example.com'],
      ['prod', 'bandup.example.com'],
    ] as const) {
      const stack = all[`bandup-${env}-app`] as Json;
      expect(containerEnv(stack, `bandup-${env}-frontend`).NEXT_PUBLIC_WS_URL).toBe(`wss://${domain}/ws`);
      if (env === 'prod') {
        expect(containerEnv(stack, 'bandup-prod-frontend-standby').NEXT_PUBLIC_WS_URL).toBe(
          `wss://${domain}/ws`,
        );
      }
      expect(containerEnv(stack, `bandup-${env}-backend`)).toMatchObject({
        AI_JOB_EVENTS_QUEUE_URL: FAKE_JOB_EVENTS_QUEUE_URL,
        SPRING_MAIL_HOST: 'smtp.gmail.com',
        SPRING_MAIL_PORT: '587',
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_AUTH: 'true',
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_ENABLE: 'true',
        SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_REQUIRED: 'true',
      });
      // The backend task role gets the AI stack's event-queue grant.
      const policies = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).map((p) => String(p.policy));
      expect(policies.some((p) => p.includes(FAKE_JOB_EVENTS_QUEUE_ARN))).toBe(true);
    }
  }, 120_000);
});
