import { containsUnknown, deepEqual, type ResourceChange, valueAt } from './plan-json.js';
import type { ReviewRules } from './review-rules.js';

/**
 * Guards a surviving resource loses in an update: deletion protection turned off, final snapshot
 * skipped, versioning suspended, a public access block setting relaxed. A guard counts as removed
 * when it was at its safe value before and is known to be something else after.
 */
export interface GuardChange {
  readonly path: string;
  readonly label: string;
  readonly before: unknown;
  readonly after: unknown;
}

export function guardsTurnedOff(rc: ResourceChange, rules: ReviewRules): GuardChange[] {
  if (rc.mode !== 'managed' || !rc.change.actions.includes('update')) return [];
  const changes: GuardChange[] = [];
  for (const guard of rules.guardAttributes) {
    if (guard.type !== rc.type) continue;
    const before = valueAt(rc.change.before, guard.path);
    const after = valueAt(rc.change.after, guard.path);
    if (containsUnknown(valueAt(rc.change.after_unknown, guard.path))) continue;
    if (deepEqual(before, guard.safe) && !deepEqual(after ?? null, guard.safe))
      changes.push({ path: guard.path, label: guard.label, before, after });
  }
  return changes;
}

/** The guards present on a resource's prior values, for "guard found" in the review. */
export function guardsPresent(
  type: string,
  before: unknown,
  rules: ReviewRules,
  preventDestroy: boolean | undefined,
): string[] {
  const found: string[] = [];
  if (preventDestroy) found.push('prevent_destroy');
  for (const guard of rules.guardAttributes) {
    if (guard.type !== type) continue;
    if (deepEqual(valueAt(before, guard.path), guard.safe))
      found.push(`${guard.path} = ${JSON.stringify(guard.safe)}`);
  }
  return found;
}
