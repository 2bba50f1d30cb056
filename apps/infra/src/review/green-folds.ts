import { changedAttributes, deepEqual, type Json, type ResourceChange, resourceAction } from './plan-json.js';
import type { ReviewItem } from './review-model.js';
import type { ReviewRules } from './review-rules.js';

/**
 * Routine changes folded to one GREEN line per stack and kind, so the approver sees them without
 * wading through them: a release (task definitions replaced because only container images changed,
 * and the services that follow them), Lambda code updates, and tag-only updates.
 */
export function foldGreenChanges(
  stack: string,
  changes: readonly ResourceChange[],
  rules: ReviewRules,
): ReviewItem[] {
  const releases: { rc: ResourceChange; images: string[] }[] = [];
  const followers: ResourceChange[] = [];
  const code: ResourceChange[] = [];
  const tagged: ResourceChange[] = [];
  const tags = new Set(rules.green.tagAttributes);
  for (const rc of changes) {
    const action = resourceAction(rc);
    if (action === 'replace' && rules.green.releaseTypes.includes(rc.type)) {
      const images = imageChanges(rc);
      if (images) releases.push({ rc, images });
      continue;
    }
    if (action !== 'update') continue;
    const changed = changedAttributes(rc).filter((a) => !tags.has(a));
    if (changed.length === 0) {
      tagged.push(rc);
      continue;
    }
    const follows = rules.green.releaseFollowers[rc.type];
    if (follows && changed.every((a) => follows.includes(a))) {
      followers.push(rc);
      continue;
    }
    const codeAttributes = rules.green.lambdaCode[rc.type];
    if (codeAttributes && changed.every((a) => codeAttributes.includes(a))) code.push(rc);
  }
  const items: ReviewItem[] = [];
  const fold = (
    rule: string,
    action: ReviewItem['action'],
    list: readonly ResourceChange[],
    summary: string,
    cause: string,
  ) => {
    const first = list[0];
    if (!first) return;
    items.push({
      severity: 'GREEN',
      stack,
      address: list.length > 1 ? `${first.address} (+${list.length - 1})` : first.address,
      summary,
      rule,
      resourceType: first.type,
      constructPath: stack,
      action,
      cause,
      guard: 'none',
      nextStep: 'none',
    });
  };
  if (releases.length > 0) {
    const images = [...new Set(releases.flatMap((r) => r.images))];
    fold(
      'release',
      'release',
      releases.map((r) => r.rc),
      `release: ${images.join(', ')} (${releases.length} task definition(s), ${followers.length} service(s) rolled)`,
      'container image',
    );
  } else if (followers.length > 0) {
    fold(
      'release',
      'release',
      followers,
      `${followers.length} service(s) move to a new task definition`,
      'task_definition',
    );
  }
  fold(
    'lambda-code',
    'code',
    code,
    `Lambda code update: ${code.map((rc) => rc.change.after?.function_name ?? rc.address).join(', ')}`,
    'source_code_hash',
  );
  fold('tags', 'tags', tagged, `tags only: ${tagged.length} resource(s)`, 'tags');
  return items;
}

/**
 * `repo:old -> repo:new` for each container whose image changed, when images are the only
 * difference between the old and new container definitions; otherwise undefined (not a release).
 */
function imageChanges(rc: ResourceChange): string[] | undefined {
  const before = definitions(rc.change.before?.container_definitions);
  const after = definitions(rc.change.after?.container_definitions);
  if (!before || !after || before.length !== after.length) return undefined;
  const changes: string[] = [];
  for (const [i, a] of after.entries()) {
    const b = before[i];
    if (!deepEqual({ ...b, image: null }, { ...a, image: null })) return undefined;
    if (b.image !== a.image) changes.push(`${b.image} -> ${String(a.image).split(':').pop()}`);
  }
  const otherChanged = changedAttributes(rc).filter(
    (attr) =>
      ![
        'container_definitions',
        'revision',
        'arn',
        'arn_without_revision',
        'id',
        'tags',
        'tags_all',
      ].includes(attr),
  );
  return changes.length > 0 && otherChanged.length === 0 ? changes : undefined;
}

function definitions(value: Json): Json[] | undefined {
  if (typeof value !== 'string') return Array.isArray(value) ? value : undefined;
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
