import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so that two requests that differ only in key order
 * (or whitespace) have the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => {
      // Stryker disable next-line EqualityOperator: object keys are distinct, so `<=` orders them as `<` does
      if (a < b) return -1;
      // Stryker disable next-line EqualityOperator,ConditionalExpression: keys are distinct (a === b never happens), and V8's sort only asks whether the comparator is negative
      return a > b ? 1 : 0;
    });
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical form of a validated request: what an idempotent replay must match. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
