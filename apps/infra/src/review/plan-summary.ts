/** What a plan does, in numbers ops read before approving: actions and resources by type. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Replacements count in both `add` and `destroy`, as Terraform prints them. */
  readonly replace: number;
  /** Planned resources (managed, not data sources) by type, sorted by type. */
  readonly resourcesByType: Readonly<Record<string, number>>;
}

interface PlanJson {
  readonly resource_changes?: readonly {
    readonly type: string;
    readonly mode: string;
    readonly change: { readonly actions: readonly string[] };
  }[];
}

/** Summarises `terraform show -json <planfile>`. */
export function summarisePlan(plan: PlanJson): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  let replace = 0;
  const byType: Record<string, number> = {};
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const actions = rc.change.actions;
    if (actions.includes('create')) add++;
    if (actions.includes('delete')) destroy++;
    if (actions.includes('create') && actions.includes('delete')) replace++;
    if (actions.length === 1 && actions[0] === 'update') change++;
    if (!actions.includes('delete') || actions.includes('create'))
      byType[rc.type] = (byType[rc.type] ?? 0) + 1;
  }
  const resourcesByType = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return { add, change, destroy, replace, resourcesByType };
}

/** One stack's summary as text: `bandup-dev-network: 57 to add, 0 to change, 0 to destroy` + types. */
export function formatSummary(stack: string, summary: PlanSummary): string {
  const head = `${stack}: ${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy${
    summary.replace ? ` (${summary.replace} replaced)` : ''
  }`;
  const types = Object.entries(summary.resourcesByType).map(
    ([type, n]) => `    ${String(n).padStart(3)}  ${type}`,
  );
  return [head, ...types].join('\n');
}
