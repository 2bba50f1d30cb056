import { type Acknowledgement, applyAcknowledgements } from './acknowledgements.js';
import { type ClassifyContext, classifyStack, type StackInput } from './classify-stack.js';
import {
  type CostSection,
  type Review,
  type ReviewItem,
  SEVERITY_RANK,
  type StackReview,
  type Verdict,
} from './review-model.js';
import type { ReviewRules } from './review-rules.js';
import type { SynthIndex } from './synth-index.js';

export interface BuildReviewOptions {
  readonly inputs: readonly StackInput[];
  readonly environment: string;
  readonly commit: string;
  readonly rules: ReviewRules;
  readonly synth: SynthIndex;
  readonly previousSynth?: SynthIndex;
  readonly acknowledgements?: readonly Acknowledgement[];
  /** Cost of the change, when priced (cost-estimate.ts); its threshold finding is added here. */
  readonly cost?: CostSection;
  readonly now?: Date;
}

const EXIT: Readonly<Record<Verdict, Review['exitCode']>> = {
  NO_CHANGES: 0,
  ERROR: 1,
  GREEN: 2,
  AMBER: 3,
  RED: 4,
};

/** Classifies every stack, applies acknowledgements, and decides the verdict and exit code. */
export function buildReview(options: BuildReviewOptions): Review {
  const ctx: ClassifyContext = {
    environment: options.environment,
    rules: options.rules,
    synth: options.synth,
    previousSynth: options.previousSynth,
    plannedStacks: new Set(options.inputs.map((i) => i.stack)),
  };
  const stacks: StackReview[] = [];
  const rawItems: ReviewItem[] = [];
  const errors: string[] = [];
  for (const input of [...options.inputs].sort((a, b) => a.stack.localeCompare(b.stack))) {
    const result = classifyStack(input, ctx);
    stacks.push(result.review);
    rawItems.push(...result.items);
    errors.push(...result.errors);
  }
  if (options.cost && options.cost.monthlyDelta > options.rules.amberMonthlyIncreaseUsd) {
    rawItems.push({
      severity: 'AMBER',
      stack: '*',
      address: 'cost.monthlyDelta',
      summary: `monthly cost +${options.cost.monthlyDelta.toFixed(2)} USD (threshold ${options.rules.amberMonthlyIncreaseUsd} USD)`,
      rule: 'cost-increase',
      resourceType: 'cost',
      constructPath: '-',
      action: 'cost',
      cause: options.cost.lines
        .filter((l) => l.monthlyDelta > 0)
        .slice(0, 3)
        .map((l) => l.address)
        .join(', '),
      guard: 'none',
      nextStep: options.rules.nextSteps['cost-increase'],
    });
  }
  const hashes = new Map(stacks.map((s) => [s.stack, s.planSha256]));
  // The cost finding pins the hashes of every stack: any other plan changes the cost.
  hashes.set('*', stacks.map((s) => s.planSha256).join('+'));
  const { items, ignored } = applyAcknowledgements(
    rawItems,
    options.acknowledgements ?? [],
    hashes,
    options.now ?? new Date(),
  );
  items.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.stack.localeCompare(b.stack) ||
      a.address.localeCompare(b.address),
  );

  const open = items.filter((i) => !i.acknowledged);
  const hasChanges =
    items.length > 0 ||
    stacks.some(
      (s) =>
        Object.values(s.counts).some((n) => n > 0) || s.outputChanges.length > 0 || s.status === 'failed',
    );
  const verdict: Verdict =
    errors.length > 0
      ? 'ERROR'
      : open.some((i) => i.severity === 'RED')
        ? 'RED'
        : open.some((i) => i.severity === 'AMBER')
          ? 'AMBER'
          : hasChanges
            ? 'GREEN'
            : 'NO_CHANGES';
  return {
    schemaVersion: 1,
    tool: 'bandup-plan-review',
    rulesVersion: options.rules.version,
    verdict,
    exitCode: EXIT[verdict],
    environment: options.environment,
    commit: options.commit,
    headline: headline(verdict, items, stacks, errors),
    items,
    stacks,
    ...(options.cost ? { cost: options.cost } : {}),
    errors,
    ignoredAcknowledgements: ignored,
  };
}

function headline(
  verdict: Verdict,
  items: readonly ReviewItem[],
  stacks: readonly StackReview[],
  errors: readonly string[],
): string {
  const count = (severity: string, acknowledged: boolean) =>
    items.filter((i) => i.severity === severity && Boolean(i.acknowledged) === acknowledged).length;
  const red = count('RED', false);
  const amber = count('AMBER', false);
  const acked = count('RED', true) + count('AMBER', true);
  const green = count('GREEN', false);
  const total = stacks.reduce(
    (n, s) => n + s.counts.add + s.counts.change + s.counts.destroy + s.counts.replace + s.counts.move,
    0,
  );
  const firstRed = items.find((i) => i.severity === 'RED' && !i.acknowledged);
  switch (verdict) {
    case 'ERROR':
      return `ERROR: ${errors.length} plan error(s); the review is incomplete (${errors[0]?.split('\n')[0] ?? ''})`;
    case 'NO_CHANGES':
      return `NO CHANGES in ${stacks.length} stack(s)`;
    case 'RED':
      return `RED: ${red} blocking finding(s) (first: ${firstRed?.rule} of ${firstRed?.address} in ${firstRed?.stack}), ${amber} AMBER, ${total} resource change(s)${acked ? `, ${acked} acknowledged` : ''}`;
    case 'AMBER':
      return `AMBER: ${amber} finding(s) need acknowledgement, ${total} resource change(s)${acked ? `, ${acked} acknowledged` : ''}`;
    default:
      return `GREEN: ${total} resource change(s), ${green} routine line(s)${acked ? `, ${acked} RED/AMBER acknowledged` : ''}`;
  }
}
