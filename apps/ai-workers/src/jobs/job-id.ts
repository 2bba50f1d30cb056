import { createHash, randomUUID } from 'node:crypto';

/**
 * Namespace of idempotent job ids (a fixed random UUID). Changing it would break idempotency for
 * keys already in use.
 */
const IDEMPOTENT_JOB_NAMESPACE = Buffer.from('6f1c8d52a7e94f0b9b3e2c4d5a6f7e81', 'hex');

/** A fresh job id (UUID v4). */
export function newJobId(): string {
  return randomUUID();
}

/**
 * The job id an `Idempotency-Key` maps to: a UUID v5 (RFC 9562, SHA-1 name-based) of the user and
 * the key. Deterministic, so a replayed submit lands on the same item and a single conditional
 * write decides whether the job is new, with no second table and no transaction. Scoped per user:
 * two learners using the same key get different jobs.
 */
export function idempotentJobId(userId: string, idempotencyKey: string): string {
  const name = Buffer.from(
    `${userId}\n${idempotencyKey}`,
    // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding as utf8
    'utf8',
  );
  const hash = createHash('sha1').update(IDEMPOTENT_JOB_NAMESPACE).update(name).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
