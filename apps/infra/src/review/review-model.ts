/** The review document: what `review.json` holds and the Markdown/text renderings show. */

export type Severity = 'RED' | 'AMBER' | 'GREEN';
export type Verdict = 'NO_CHANGES' | 'GREEN' | 'AMBER' | 'RED' | 'ERROR';

export type ItemAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'replace'
  | 'rename'
  | 'move'
  | 'output'
  | 'blocked'
  | 'release'
  | 'code'
  | 'tags'
  | 'cost';

export interface ReviewItem {
  readonly severity: Severity;
  readonly stack: string;
  readonly address: string;
  readonly summary: string;
  /** Rule id from rules.json (`stateful-delete`, `rename`...) or a GREEN fold (`release`...). */
  readonly rule: string;
  readonly resourceType: string;
  readonly constructPath: string;
  readonly action: ItemAction;
  /** The attribute that forces the action, or "removed from configuration". */
  readonly cause: string;
  /** Guards found on the resource (`prevent_destroy`, `deletion_protection`...), or "none". */
  readonly guard: string;
  readonly nextStep: string;
  readonly moved?: string;
  readonly staleConsumers?: readonly string[];
  readonly acknowledged?: { readonly reason: string; readonly expires: string };
}

export interface StackCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  move: number;
}

export interface StackReview {
  readonly stack: string;
  readonly status: 'planned' | 'failed';
  readonly planSha256: string;
  readonly counts: StackCounts;
  readonly changes: {
    readonly create: string[];
    readonly update: string[];
    readonly delete: string[];
    readonly replace: string[];
    readonly move: string[];
  };
  readonly outputChanges: string[];
}

export interface CostLine {
  readonly stack: string;
  readonly address: string;
  readonly monthlyDelta: number;
  readonly basis: string;
}

export interface CostSection {
  readonly priceTableDate: string;
  readonly currency: 'USD';
  readonly monthlyDelta: number;
  readonly lines: readonly CostLine[];
  readonly environments: readonly {
    readonly environment: string;
    readonly estimatedMonthly: number;
    readonly budget?: number;
  }[];
  /** Priced resource types the table has no price for (not counted). */
  readonly unpriced: readonly string[];
  /** Usage-billed resources in the plans (after the change), per environment and type. */
  readonly usagePriced: readonly UsagePriced[];
}

export interface UsagePriced {
  readonly environment: string;
  readonly resourceType: string;
  readonly count: number;
  /** e.g. "0.2 USD per million requests, 0.0000133334 USD per GB-second (arm64)". */
  readonly unitPrices: string;
}

export interface IgnoredAcknowledgement {
  readonly stack: string;
  readonly address: string;
  readonly why: string;
}

export interface Review {
  readonly schemaVersion: 1;
  readonly tool: 'bandup-plan-review';
  readonly rulesVersion: string;
  readonly verdict: Verdict;
  readonly exitCode: 0 | 1 | 2 | 3 | 4;
  readonly environment: string;
  readonly commit: string;
  readonly headline: string;
  readonly items: readonly ReviewItem[];
  readonly stacks: readonly StackReview[];
  readonly cost?: CostSection;
  readonly errors: readonly string[];
  readonly ignoredAcknowledgements: readonly IgnoredAcknowledgement[];
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { RED: 0, AMBER: 1, GREEN: 2 };
