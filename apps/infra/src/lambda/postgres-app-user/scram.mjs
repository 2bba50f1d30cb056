/**
 * PostgreSQL SCRAM-SHA-256 password verifiers (RFC 5802/7677, the format `pg_authid` stores).
 *
 * The rotation sends `ALTER ROLE ... PASSWORD '<verifier>'` instead of the password itself: the
 * server stores a pre-hashed verifier as is, and with `log_statement = ddl` the statement text is
 * logged, so only the verifier (not the password) can ever reach the PostgreSQL log.
 */

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's own default (`scram_iterations`). */
export const SCRAM_ITERATIONS = 4096;

/**
 * Verifier for a password of printable ASCII letters and digits (what the rotation generates; such
 * passwords are unchanged by SASLprep, so no normalisation library is needed).
 * @param {string} password
 * @param {{ salt?: Buffer; iterations?: number }} [options]
 */
export function scramVerifier(password, options = {}) {
  if (!/^[\x21-\x7e]+$/.test(password)) {
    throw new Error('SCRAM verifier: the password must be printable ASCII without spaces');
  }
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? SCRAM_ITERATIONS;
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
