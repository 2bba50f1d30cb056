import { createHash } from 'node:crypto';
import type { Json, PlanDocument } from './plan-json.js';

/**
 * The SHA-256 acknowledgements pin: the stack's planned changes (`resource_changes`,
 * `output_changes`) in canonical JSON (object keys sorted). The plan's timestamp, Terraform
 * version and configuration are left out, so re-planning the same change against the same state
 * gives the same hash, and any other change, or the same change against another state, does not.
 */
export function planSha256(plan: PlanDocument): string {
  const material = {
    resource_changes: (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed'),
    output_changes: plan.output_changes ?? {},
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** Hash of a failed plan: its blocking diagnostics, so a block can be acknowledged too. */
export function diagnosticsSha256(diagnostics: readonly Json[]): string {
  return createHash('sha256').update(canonicalJson(diagnostics)).digest('hex');
}

function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
