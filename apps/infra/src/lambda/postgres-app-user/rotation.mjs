/**
 * Secrets Manager rotation of the backend's PostgreSQL credentials, alternating-users strategy.
 *
 * The secret holds `{ engine, host, port, dbname, username, password }`. Each rotation switches to the
 * other of the two login users and gives it a new password; the previous user keeps its password
 * until the rotation after next changes it. So credentials that a running task read at start stay
 * valid for a whole rotation interval after they stop being current, long enough for the rolling
 * restart that follows every successful rotation.
 */

import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { setLoginVerifier } from './roles.mjs';
import { scramVerifier } from './scram.mjs';

/** Letters and digits only: no quoting issue in a JDBC URL, a shell or SASLprep. */
export const PASSWORD_LENGTH = 48;

export class RotationError extends Error {
  name = 'RotationError';
}

/**
 * @typedef {import('./roles.mjs').SqlClient & { end(): Promise<void> }} Connection
 * @typedef {{ user: string; password: string }} Login
 * @typedef {{ send(command: unknown): Promise<any> }} Client
 * @typedef {{
 *   secrets: Client;
 *   connect(login: Login): Promise<Connection>;
 *   masterSecretArn: string;
 *   layout: import('./roles.mjs').RoleLayout;
 *   endpoint: { host: string; port: number };
 * }} RotationContext
 * @typedef {{ engine: string; host: string; port: number; dbname: string; username: string; password: string }} AppCredentials
 */

/** The user the next rotation switches to: the other one, the first when there is none yet. */
export function nextUser(currentUser, users) {
  return currentUser === users[0] ? users[1] : users[0];
}

/**
 * One rotation step (the Secrets Manager contract: createSecret, setSecret, testSecret, finishSecret).
 * @param {{ SecretId: string; ClientRequestToken: string; Step: string }} event
 * @param {RotationContext} ctx
 */
export async function rotate(event, ctx) {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event ?? {};
  if (!secretId || !token || !step) {
    throw new RotationError('Rotation event needs SecretId, ClientRequestToken and Step');
  }
  const metadata = await ctx.secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!metadata.RotationEnabled) throw new RotationError(`Secret ${secretId} does not have rotation enabled`);
  const stages = metadata.VersionIdsToStages?.[token];
  if (!stages) throw new RotationError(`Secret version ${token} of ${secretId} does not exist`);
  if (stages.includes('AWSCURRENT')) return; // a retried invocation after finishSecret
  if (!stages.includes('AWSPENDING')) {
    throw new RotationError(`Secret version ${token} of ${secretId} is not AWSPENDING`);
  }
  switch (step) {
    case 'createSecret':
      return createSecret(ctx, secretId, token);
    case 'setSecret':
      return setSecret(ctx, secretId, token);
    case 'testSecret':
      return testSecret(ctx, secretId, token);
    case 'finishSecret':
      return finishSecret(ctx, secretId, token, metadata.VersionIdsToStages);
    default:
      throw new RotationError(`Unknown rotation step "${step}"`);
  }
}

/** AWSPENDING = the other user with a new password (idempotent: an existing pending value is kept). */
async function createSecret(ctx, secretId, token) {
  if (await secretValue(ctx, secretId, { VersionId: token, VersionStage: 'AWSPENDING' })) return;
  const current = parseCredentials(await secretValue(ctx, secretId, { VersionStage: 'AWSCURRENT' }));
  const { RandomPassword } = await ctx.secrets.send(
    new GetRandomPasswordCommand({
      PasswordLength: PASSWORD_LENGTH,
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    }),
  );
  /** @type {AppCredentials} */
  const pending = {
    engine: 'postgres',
    host: ctx.endpoint.host,
    port: ctx.endpoint.port,
    dbname: ctx.layout.database,
    username: nextUser(current?.username, ctx.layout.users),
    password: RandomPassword,
  };
  await ctx.secrets.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify(pending),
      VersionStages: ['AWSPENDING'],
    }),
  );
}

/** Sets the pending user's password, logged in as the master user (RDS-managed secret). */
async function setSecret(ctx, secretId, token) {
  const pending = await pendingCredentials(ctx, secretId, token);
  const master = parseCredentials(
    await secretValue(ctx, ctx.masterSecretArn, { VersionStage: 'AWSCURRENT' }),
  );
  if (!master) throw new RotationError(`Master secret ${ctx.masterSecretArn} has no value`);
  const connection = await ctx.connect({ user: master.username, password: master.password });
  try {
    await setLoginVerifier(connection, ctx.layout, pending.username, scramVerifier(pending.password));
  } finally {
    await connection.end();
  }
}

/** Logs in with the pending credentials and checks the session acts as the owner role. */
async function testSecret(ctx, secretId, token) {
  const pending = await pendingCredentials(ctx, secretId, token);
  const connection = await ctx.connect({ user: pending.username, password: pending.password });
  try {
    const { rows } = await connection.query('SELECT current_user AS role, session_user AS login');
    const row = rows[0] ?? {};
    if (row.login !== pending.username || row.role !== ctx.layout.owner) {
      throw new RotationError(
        `Pending user ${pending.username} logged in as ${row.login} acting as ${row.role}, expected ${ctx.layout.owner}`,
      );
    }
  } finally {
    await connection.end();
  }
}

/** Moves AWSCURRENT to the new version (the previous one becomes AWSPREVIOUS). */
async function finishSecret(ctx, secretId, token, versions) {
  const currentVersion = Object.entries(versions ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
  if (currentVersion === token) return;
  await ctx.secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
    }),
  );
}

async function pendingCredentials(ctx, secretId, token) {
  const pending = parseCredentials(
    await secretValue(ctx, secretId, { VersionId: token, VersionStage: 'AWSPENDING' }),
  );
  if (!pending) throw new RotationError(`Secret ${secretId} has no AWSPENDING value for version ${token}`);
  if (!ctx.layout.users.includes(pending.username)) {
    throw new RotationError(
      `Pending user ${pending.username} of ${secretId} is not one of ${ctx.layout.users.join(', ')}`,
    );
  }
  return pending;
}

/** Parses a credentials JSON; never puts the value into an error message. */
function parseCredentials(text) {
  if (text === undefined) return undefined;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RotationError('Secret value is not JSON');
  }
  if (typeof value?.username !== 'string' || typeof value?.password !== 'string') {
    throw new RotationError('Secret value lacks a string username and password');
  }
  return value;
}

/** The value for a version/stage, or undefined when that version does not exist. */
async function secretValue(ctx, secretId, selector) {
  try {
    const { SecretString } = await ctx.secrets.send(
      new GetSecretValueCommand({ SecretId: secretId, ...selector }),
    );
    return SecretString;
  } catch (error) {
    if (error?.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Exported for the bootstrap, which logs in the same way. */
export { parseCredentials, secretValue };
