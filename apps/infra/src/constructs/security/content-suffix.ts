import { createHash } from 'node:crypto';

/**
 * Eight hex characters derived from what forces a resource's replacement. Appended to names that
 * have no `name_prefix` (target groups, ElastiCache parameter groups) so that a replacement created
 * before the old resource is destroyed gets a name of its own, and an unchanged resource keeps its
 * name on every synth.
 */
export function contentSuffix(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}
