import type { Review } from './review-model.js';

/** The terminal rendering: verdict first, one line per finding, then counts per stack. */
export function renderText(review: Review): string {
  const lines = [
    `${review.verdict}  ${review.headline}`,
    `environment ${review.environment}, commit ${review.commit}, rules ${review.rulesVersion}, exit ${review.exitCode}`,
  ];
  for (const severity of ['RED', 'AMBER', 'GREEN'] as const) {
    const items = review.items.filter((i) => i.severity === severity);
    if (items.length === 0) continue;
    lines.push('');
    for (const i of items) {
      lines.push(
        `${severity.padEnd(5)} ${i.stack} ${i.address}${i.acknowledged ? ` [acknowledged until ${i.acknowledged.expires}]` : ''}`,
      );
      lines.push(`      ${i.summary}`);
      if (severity !== 'GREEN') {
        lines.push(
          `      construct ${i.constructPath} | ${i.action} | cause: ${i.cause} | guard: ${i.guard}`,
        );
        lines.push(`      next: ${i.nextStep}`);
      }
      if (i.moved) lines.push(...i.moved.split('\n').map((l) => `      ${l}`));
    }
  }
  lines.push('', 'stack                          add change destroy replace move');
  for (const s of review.stacks) {
    const c = s.counts;
    lines.push(
      `${(s.stack + (s.status === 'failed' ? ' (failed)' : '')).padEnd(30)} ${[c.add, c.change, c.destroy, c.replace, c.move].map((n, i) => String(n).padStart([3, 6, 7, 7, 4][i] ?? 4)).join(' ')}`,
    );
  }
  if (review.cost) {
    lines.push(
      '',
      `cost: ${review.cost.monthlyDelta >= 0 ? '+' : ''}${review.cost.monthlyDelta.toFixed(2)} USD/month (prices ${review.cost.priceTableDate})`,
    );
    for (const e of review.cost.environments)
      lines.push(
        `  ${e.environment}: ~${e.estimatedMonthly.toFixed(2)} USD/month${e.budget !== undefined ? ` vs budget ${e.budget} USD` : ''}`,
      );
    if (review.cost.usagePriced.length > 0)
      lines.push(
        `  + usage of ${review.cost.usagePriced.map((u) => `${u.count} ${u.resourceType}`).join(', ')} (unit prices in review.md)`,
      );
  }
  for (const a of review.ignoredAcknowledgements)
    lines.push(`acknowledgement not applied: ${a.stack} ${a.address}: ${a.why}`);
  for (const e of review.errors) lines.push('', `ERROR ${e}`);
  return `${lines.join('\n')}\n`;
}
