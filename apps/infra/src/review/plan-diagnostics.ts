/**
 * Diagnostics of a plan that failed, from `terraform plan -json` (one JSON message per line).
 * A `prevent_destroy` error is a review finding (the guard worked), so it is told apart from any
 * other error, which makes the review a plan error.
 */

export interface PlanDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  /** The resource the diagnostic is about, when Terraform names one. */
  readonly address?: string;
}

export interface PreventDestroyBlock {
  readonly address: string;
  readonly detail: string;
}

export function parsePlanLog(text: string, source: string): PlanDiagnostic[] {
  const diagnostics: PlanDiagnostic[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let message: {
      type?: string;
      diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
    };
    try {
      message = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not a JSON line (expected \`terraform plan -json\` output)`);
    }
    if (message.type !== 'diagnostic' || !message.diagnostic) continue;
    const d = message.diagnostic;
    diagnostics.push({
      severity: d.severity === 'error' ? 'error' : 'warning',
      summary: d.summary ?? '',
      detail: d.detail ?? '',
      ...(d.address ? { address: d.address } : {}),
    });
  }
  return diagnostics;
}

const PREVENT_DESTROY = /Resource (\S+) has lifecycle\.prevent_destroy set/;

/** The resources whose `prevent_destroy` stopped the plan. */
export function preventDestroyBlocks(diagnostics: readonly PlanDiagnostic[]): PreventDestroyBlock[] {
  const blocks: PreventDestroyBlock[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const match = PREVENT_DESTROY.exec(d.detail);
    if (!match && d.summary !== 'Instance cannot be destroyed') continue;
    const address = d.address ?? match?.[1];
    if (address) blocks.push({ address, detail: d.detail });
  }
  return blocks;
}

/** Errors that are not `prevent_destroy` blocks: the plan failed for another reason. */
export function otherErrors(diagnostics: readonly PlanDiagnostic[]): PlanDiagnostic[] {
  return diagnostics.filter(
    (d) =>
      d.severity === 'error' &&
      d.summary !== 'Instance cannot be destroyed' &&
      !PREVENT_DESTROY.test(d.detail),
  );
}
