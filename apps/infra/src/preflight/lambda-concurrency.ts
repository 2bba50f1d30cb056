/**
 * Pre-flight check of the account's Lambda concurrency quota. Reserved concurrency is taken out of
 * one pool per account and Region, shared by every environment deployed there, and Lambda refuses a
 * reservation that would leave less than 100 unreserved. So the quota must be at least the sum of
 * all reservations plus 100; new accounts often start far below the default of 1000.
 */

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
type Json = Record<string, any>;

/** Lambda keeps at least this much concurrency unreserved in every account and Region. */
export const UNRESERVED_MINIMUM = 100;
/** The default account quota (Service Quotas: "Concurrent executions"). */
export const DEFAULT_ACCOUNT_QUOTA = 1000;

export interface ConcurrencyNeed {
  readonly account: string;
  readonly region: string;
  /** Sum of `reserved_concurrent_executions` over every function deployed there. */
  readonly reserved: number;
  /** The quota this needs: reserved + the unreserved minimum. */
  readonly requiredQuota: number;
  /** Functions without a concurrency limit (none is allowed). */
  readonly unlimited: readonly string[];
  readonly functions: readonly { readonly stack: string; readonly name: string; readonly reserved: number }[];
}

/**
 * What the synthesized stacks reserve, per account and Region.
 * @param stacks stack id -> synthesized Terraform JSON
 * @param placement stack id -> where it deploys (from the environment config)
 */
export function concurrencyNeeds(
  stacks: Readonly<Record<string, Json>>,
  placement: (stackId: string) => { readonly account: string; readonly region: string } | undefined,
): ConcurrencyNeed[] {
  const byTarget = new Map<
    string,
    {
      account: string;
      region: string;
      functions: { stack: string; name: string; reserved: number }[];
      unlimited: string[];
    }
  >();
  for (const [stackId, stack] of Object.entries(stacks)) {
    const functions = Object.values((stack.resource?.aws_lambda_function ?? {}) as Record<string, Json>);
    if (functions.length === 0) continue;
    const where = placement(stackId);
    if (!where) throw new Error(`Concurrency pre-flight: no account/Region known for stack ${stackId}`);
    const key = `${where.account}/${where.region}`;
    const entry = byTarget.get(key) ?? { ...where, functions: [], unlimited: [] };
    for (const fn of functions) {
      const reserved = fn.reserved_concurrent_executions;
      if (typeof reserved !== 'number' || reserved < 0)
        entry.unlimited.push(`${stackId}:${fn.function_name}`);
      else entry.functions.push({ stack: stackId, name: String(fn.function_name), reserved });
    }
    byTarget.set(key, entry);
  }
  return [...byTarget.values()].map((t) => {
    const reserved = t.functions.reduce((sum, f) => sum + f.reserved, 0);
    return { ...t, reserved, requiredQuota: reserved + UNRESERVED_MINIMUM };
  });
}

/** Problems with a need against an account's actual quota (empty: fine). */
export function concurrencyProblems(need: ConcurrencyNeed, accountQuota: number): string[] {
  const problems: string[] = [];
  if (need.unlimited.length > 0) {
    problems.push(`Functions without reserved concurrency: ${need.unlimited.join(', ')}`);
  }
  if (accountQuota < need.requiredQuota) {
    problems.push(
      `Account ${need.account} in ${need.region}: Lambda concurrency quota ${accountQuota} is below the ${need.requiredQuota} ` +
        `needed (${need.reserved} reserved by the environments there + ${UNRESERVED_MINIMUM} Lambda keeps unreserved). ` +
        'Request an increase of "Concurrent executions" in Service Quotas before deploying.',
    );
  }
  return problems;
}
