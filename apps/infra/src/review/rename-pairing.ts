import { type ResourceChange, resourceAction } from './plan-json.js';
import type { ReviewRules } from './review-rules.js';

/**
 * A construct-id rename in CDKTF changes the resource's logical id, so Terraform plans a delete of
 * the old address (its configuration is gone) and a create of a new one. When both have the same
 * type and the same identity (`identifier`, `bucket`, `name`, ...), it is one resource changing
 * address: a `moved` block keeps it, where the plan would destroy it (and its data) and create an
 * empty one, or fail halfway on the name still in use.
 */
export interface RenamePair {
  readonly from: ResourceChange;
  readonly to: ResourceChange;
  /** `identifier = "bandup-prod-postgres"`: what makes them the same resource. */
  readonly identity: string;
}

export function pairRenames(changes: readonly ResourceChange[], rules: ReviewRules): RenamePair[] {
  const creates = changes.filter((rc) => rc.mode === 'managed' && resourceAction(rc) === 'create');
  const taken = new Set<ResourceChange>();
  const pairs: RenamePair[] = [];
  for (const deleted of changes) {
    if (deleted.mode !== 'managed' || resourceAction(deleted) !== 'delete') continue;
    const attributes = rules.identityAttributes[deleted.type] ?? [];
    for (const attribute of attributes) {
      const value = deleted.change.before?.[attribute];
      if (value === undefined || value === null || value === '') continue;
      const created = creates.find(
        (c) =>
          !taken.has(c) &&
          c.type === deleted.type &&
          c.change.after_unknown?.[attribute] !== true &&
          c.change.after?.[attribute] === value,
      );
      if (!created) continue;
      taken.add(created);
      pairs.push({ from: deleted, to: created, identity: `${attribute} = ${JSON.stringify(value)}` });
      break;
    }
  }
  return pairs;
}

/** The Terraform `moved` block that turns the pair into a move (CDKTF: `moveFromId`). */
export function movedBlock(pair: RenamePair): string {
  return ['moved {', `  from = ${pair.from.address}`, `  to   = ${pair.to.address}`, '}'].join('\n');
}
