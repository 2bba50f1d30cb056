/**
 * The parts of `terraform show -json <planfile>` (format 1.x) the review reads. Values are the
 * provider's documents, so they stay untyped; the shape around them is typed.
 */

// biome-ignore lint/suspicious/noExplicitAny: planned values are arbitrary provider documents
export type Json = any;

export type TerraformAction = 'no-op' | 'create' | 'read' | 'update' | 'delete';

export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly TerraformAction[];
    readonly before: Json;
    readonly after: Json;
    readonly after_unknown?: Json;
    readonly before_sensitive?: Json;
    readonly after_sensitive?: Json;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

interface OutputChange {
  readonly actions: readonly TerraformAction[];
  readonly before: Json;
  readonly after: Json;
  readonly after_unknown?: Json;
  readonly before_sensitive?: Json;
  readonly after_sensitive?: Json;
}

export interface PlanDocument {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
  readonly errored?: boolean;
  readonly configuration?: Json;
  readonly planned_values?: Json;
  readonly prior_state?: Json;
}

/** What happens to one resource, in the words a reviewer uses. */
export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'move' | 'no-op' | 'read';

export function resourceAction(rc: ResourceChange): ResourceAction {
  const a = rc.change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('delete')) return 'delete';
  if (a.includes('create')) return 'create';
  if (a.includes('update')) return 'update';
  if (a.includes('read')) return 'read';
  if (rc.previous_address && rc.previous_address !== rc.address) return 'move';
  return 'no-op';
}

/** Checks the document is a plan from `terraform show -json`, naming the file when it is not. */
export function parsePlanDocument(text: string, source: string): PlanDocument {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || typeof doc.format_version !== 'string') {
    throw new Error(`${source}: not a \`terraform show -json\` plan (no format_version)`);
  }
  if (doc.resource_changes !== undefined && !Array.isArray(doc.resource_changes)) {
    throw new Error(`${source}: resource_changes is not a list`);
  }
  if (!('resource_changes' in doc) && !('planned_values' in doc) && !('output_changes' in doc)) {
    throw new Error(`${source}: a state, not a plan (no resource_changes/planned_values)`);
  }
  return doc as PlanDocument;
}

/** Top-level attributes whose value differs between before and after (unknown after counts). */
export function changedAttributes(rc: ResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const key of keys) {
    if (containsUnknown(unknown[key])) {
      if (before[key] !== undefined) changed.push(key);
      continue;
    }
    if (!deepEqual(before[key] ?? null, after[key] ?? null)) changed.push(key);
  }
  return changed.sort();
}

export function containsUnknown(marker: Json): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(containsUnknown);
  if (marker && typeof marker === 'object') return Object.values(marker).some(containsUnknown);
  return false;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

/** Value at a dotted path (`versioning_configuration.0.status`), or undefined. */
export function valueAt(doc: Json, path: string): Json {
  let current = doc;
  for (const part of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    current = current[/^\d+$/.test(part) ? Number(part) : part];
  }
  return current;
}
