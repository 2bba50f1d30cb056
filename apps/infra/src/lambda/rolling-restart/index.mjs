/**
 * Rolling restart of the backend services after a credential rotation.
 *
 * ECS injects secrets only when a task starts. When Secrets Manager reports `RotationSucceeded` for
 * one of the backend's rotating secrets (PostgreSQL application user, Valkey password), this starts
 * a new deployment of every backend service (`forceNewDeployment`): new tasks read the new AWSCURRENT
 * value, and the deployment (minimum healthy 100 %) stops old tasks only once new ones are healthy.
 * The previous credential stays valid until the next rotation, so the restart has a whole rotation
 * interval to finish.
 *
 * Runs on the Lambda Node.js runtime, whose bundled AWS SDK v3 provides the ECS client (no bundle).
 */

import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';

export class RestartError extends Error {
  name = 'RestartError';
}

/** Reads the function's settings from its environment, naming what is missing. */
export function settingsFromEnvironment(env = process.env) {
  const names = ['CLUSTER_ARN', 'SERVICE_ARNS', 'SECRET_ARNS'];
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new RestartError(`Environment variable(s) ${missing.join(', ')} not set`);
  const list = (/** @type {string} */ value) => value.split(',').filter(Boolean);
  return {
    cluster: /** @type {string} */ (env.CLUSTER_ARN),
    services: list(/** @type {string} */ (env.SERVICE_ARNS)),
    secrets: list(/** @type {string} */ (env.SECRET_ARNS)),
  };
}

/**
 * The secret a `RotationSucceeded` event is about (CloudTrail service event), or undefined.
 * @param {any} event
 */
export function rotatedSecret(event) {
  const detail = event?.detail;
  if (detail?.eventName !== 'RotationSucceeded') return undefined;
  return detail?.additionalEventData?.SecretId ?? detail?.requestParameters?.secretId;
}

/**
 * Restarts every backend service when the event is a successful rotation of a watched secret.
 * @param {any} event
 * @param {{ ecs: { send(command: unknown): Promise<any> }; cluster: string; services: string[]; secrets: string[] }} ctx
 * @returns {Promise<{ restarted: string[]; ignored?: string }>}
 */
export async function restartOnRotation(event, ctx) {
  const secret = rotatedSecret(event);
  if (!secret) return { restarted: [], ignored: 'not a RotationSucceeded event' };
  if (!ctx.secrets.includes(secret)) return { restarted: [], ignored: `secret ${secret} is not watched` };
  const restarted = [];
  const failures = [];
  // Every service, even when one fails: a service left on the old credential is the outage.
  for (const service of ctx.services) {
    try {
      await ctx.ecs.send(
        new UpdateServiceCommand({ cluster: ctx.cluster, service, forceNewDeployment: true }),
      );
      restarted.push(service);
    } catch (error) {
      failures.push(`${service}: ${error?.name ?? 'Error'} ${error?.message ?? ''}`.trim());
    }
  }
  if (failures.length > 0) {
    // Thrown so that Lambda's asynchronous retries (and then the failure destination) take over.
    throw new RestartError(`Restart after rotation of ${secret} failed for ${failures.join('; ')}`);
  }
  return { restarted };
}

let context;

/** Lambda entry point (EventBridge target). */
export async function handler(event) {
  context ??= { ecs: new ECSClient({}), ...settingsFromEnvironment() };
  const result = await restartOnRotation(event, context);
  console.log(JSON.stringify({ message: 'rotation restart', ...result }));
  return result;
}
