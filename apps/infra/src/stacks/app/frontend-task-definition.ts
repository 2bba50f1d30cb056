import type { Construct } from 'constructs';
import type { CellVariant } from '../../constructs/containers/app-service-cell.js';
import { FargateTaskDefinition } from '../../constructs/containers/fargate-task-definition.js';
import { BACKEND_DNS } from './app-names.js';
import { type AppTaskContext, commonTaskProps } from './app-task-common.js';

/**
 * The frontend's (Next.js) task definition of one cell: server-side calls go to the backend of the
 * same cell. The standby shares the primary's roles.
 */
export function frontendTaskDefinition(
  scope: Construct,
  variant: CellVariant,
  context: AppTaskContext,
  shareRolesWith?: FargateTaskDefinition,
): FargateTaskDefinition {
  const { config, resourceName } = context;
  const ecs = config.ecs;
  const backendUrl = `http://${BACKEND_DNS[variant]}:${ecs.backend.containerPort}`;
  return new FargateTaskDefinition(scope, variant === 'primary' ? 'frontend-task' : 'frontend-standby-task', {
    ...commonTaskProps('frontend', context),
    family: variant === 'primary' ? resourceName('frontend') : resourceName('frontend-standby'),
    environment: {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(ecs.frontend.containerPort),
      HOSTNAME: '0.0.0.0',
      // Server-side calls go to the backend of the same AZ cell through Service Connect;
      // browsers reach the backend through the ALB (`/api`, `/ws`).
      BACKEND_URL: backendUrl,
      API_URL: `${backendUrl}/api`,
      PUBLIC_SITE_URL: `https://${config.dns.domainName}`,
      // The browser's STOMP endpoint: the ALB's `/ws*` rule forwards it to the backend. Next.js
      // inlines NEXT_PUBLIC_* into client bundles at build time: the frontend must read it at
      // runtime on the server (and hand it to the client), or the image build must get it too.
      NEXT_PUBLIC_WS_URL: `wss://${config.dns.domainName}/ws`,
    },
    secrets: [],
    secretKeys: [],
    // Image assumption: the Next.js standalone image has a `node`-compatible runtime
    // (node, or bun, which answers to `node` too) with a global fetch. No shell or curl needed.
    healthCheck: {
      command: [
        'CMD',
        'node',
        '-e',
        `fetch('http://127.0.0.1:${ecs.frontend.containerPort}${ecs.frontend.healthCheckPath}')` +
          '.then((r)=>process.exit(r.status<500?0:1),()=>process.exit(1))',
      ],
      startPeriodSeconds: Math.min(ecs.frontend.healthCheckGracePeriodSeconds, 300),
    },
    // The frontend calls no AWS API: without ECS Exec it needs no task role (no credentials).
    withTaskRole: ecs.enableExecuteCommand,
    shareRolesWith,
  });
}
