/**
 * The backend's PostgreSQL user: one VPC function for two callers.
 * - Terraform (`aws_lambda_invocation`, `{ "action": "bootstrap" }`): creates or repairs the owner
 *   role, the two login users and their grants, logged in as the master user.
 * - Secrets Manager (`{ SecretId, ClientRequestToken, Step }`): rotates the application secret.
 *
 * Bundled with `pg` (pure JS) at synth; the AWS SDK comes from the Lambda runtime. TLS to RDS is
 * required and verified against the Amazon CA bundle the runtime ships (`NODE_EXTRA_CA_CERTS`).
 */

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { ensureApplicationRoles } from './roles.mjs';
import { parseCredentials, RotationError, rotate, secretValue } from './rotation.mjs';

/** Reads the function's settings from its environment, naming what is missing or malformed. */
export function settingsFromEnvironment(env = process.env) {
  const names = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_OWNER_ROLE', 'DB_LOGIN_USERS', 'MASTER_SECRET_ARN'];
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new RotationError(`Environment variable(s) ${missing.join(', ')} not set`);
  const port = Number(env.DB_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RotationError(`DB_PORT must be a TCP port, got "${env.DB_PORT}"`);
  }
  const users = String(env.DB_LOGIN_USERS).split(',');
  if (users.length !== 2)
    throw new RotationError(`DB_LOGIN_USERS must name two users, got "${env.DB_LOGIN_USERS}"`);
  return {
    masterSecretArn: /** @type {string} */ (env.MASTER_SECRET_ARN),
    endpoint: { host: /** @type {string} */ (env.DB_HOST), port },
    layout: {
      database: /** @type {string} */ (env.DB_NAME),
      owner: /** @type {string} */ (env.DB_OWNER_ROLE),
      users: /** @type {[string, string]} */ ([users[0], users[1]]),
    },
  };
}

/**
 * A connector that opens one TLS session (certificate and host name verified).
 * @param {{ host: string; port: number }} endpoint
 * @param {string} database
 * @param {import('node:tls').ConnectionOptions} [tls]
 */
export function tlsConnector(endpoint, database, tls = {}) {
  return async (/** @type {{ user: string; password: string }} */ login) => {
    const client = new pg.Client({
      host: endpoint.host,
      port: endpoint.port,
      database,
      user: login.user,
      password: login.password,
      ssl: { rejectUnauthorized: true, servername: endpoint.host, ...tls },
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      application_name: 'bandup-app-user',
    });
    await client.connect();
    return client;
  };
}

/**
 * Creates the roles and grants as the master user.
 * @param {{ secrets: { send(c: unknown): Promise<any> }; connect: ReturnType<typeof tlsConnector>; masterSecretArn: string; layout: import('./roles.mjs').RoleLayout }} ctx
 */
export async function bootstrap(ctx) {
  const master = parseCredentials(
    await secretValue(ctx, ctx.masterSecretArn, { VersionStage: 'AWSCURRENT' }),
  );
  if (!master) throw new RotationError(`Master secret ${ctx.masterSecretArn} has no value`);
  const connection = await ctx.connect({ user: master.username, password: master.password });
  try {
    return await ensureApplicationRoles(connection, ctx.layout);
  } finally {
    await connection.end();
  }
}

let context;

/** Lambda entry point. */
export async function handler(event) {
  if (!context) {
    const settings = settingsFromEnvironment();
    context = {
      ...settings,
      secrets: new SecretsManagerClient({}),
      connect: tlsConnector(settings.endpoint, settings.layout.database),
    };
  }
  if (event?.action === 'bootstrap') {
    const result = await bootstrap(context);
    console.log(JSON.stringify({ message: 'application roles ensured', ...result }));
    return result;
  }
  console.log(JSON.stringify({ message: 'rotation step', step: event?.Step, secretId: event?.SecretId }));
  await rotate(event, context);
  return undefined;
}
