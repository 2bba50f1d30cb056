/*
 * ECR lifecycle policy evaluation, as the ECR documentation specifies it, for simulating a
 * repository over time from a synthesized policy:
 * - rules run in rulePriority order; an image selected by a higher-priority rule is never expired
 *   by a lower-priority one, though lower rules still count it;
 * - selection: `untagged` (no tag), `any` (every image), `tagged` with `tagPrefixList` (each prefix
 *   matched by one of the image's tags) or `tagPatternList` (`*` wildcards, each pattern matched);
 * - `imageCountMoreThan` keeps the newest `countNumber` selected images by push time and expires the
 *   rest; `sinceImagePushed` expires images pushed more than `countNumber` days ago.
 */

export interface SimulatedImage {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Push time, in days. */
  readonly pushedAt: number;
}

interface Rule {
  rulePriority: number;
  selection: {
    tagStatus: 'tagged' | 'untagged' | 'any';
    tagPrefixList?: string[];
    tagPatternList?: string[];
    countType: 'imageCountMoreThan' | 'sinceImagePushed';
    countUnit?: 'days';
    countNumber: number;
  };
  action: { type: 'expire' };
}

const pattern = (p: string) =>
  new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

function selects(rule: Rule, image: SimulatedImage): boolean {
  const { tagStatus, tagPrefixList, tagPatternList } = rule.selection;
  if (tagStatus === 'untagged') return image.tags.length === 0;
  if (tagStatus === 'any') return true;
  if (image.tags.length === 0) return false;
  if (tagPrefixList) return tagPrefixList.every((p) => image.tags.some((t) => t.startsWith(p)));
  if (tagPatternList) return tagPatternList.every((p) => image.tags.some((t) => pattern(p).test(t)));
  throw new Error('a tagged rule needs tagPrefixList or tagPatternList');
}

/** Digests the policy expires at `now` (days). */
export function expiredImages(
  policy: { rules: Rule[] },
  images: readonly SimulatedImage[],
  now: number,
): Set<string> {
  const claimed = new Set<string>();
  const expired = new Set<string>();
  for (const rule of [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    if (rule.action.type !== 'expire') throw new Error(`unsupported action ${rule.action.type}`);
    const selected = images.filter((i) => selects(rule, i));
    const { countType, countNumber } = rule.selection;
    const candidates =
      countType === 'imageCountMoreThan'
        ? [...selected].sort((a, b) => b.pushedAt - a.pushedAt).slice(countNumber)
        : selected.filter((i) => now - i.pushedAt > countNumber);
    for (const image of candidates) if (!claimed.has(image.digest)) expired.add(image.digest);
    for (const image of selected) claimed.add(image.digest);
  }
  return expired;
}
