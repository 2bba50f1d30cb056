import type { Review, ReviewItem } from './review-model.js';

/** Lines the first screen may use: verdict, RED and AMBER fit in it; the rest follows. */
export const FIRST_SCREEN_LINES = 30;

/**
 * The Markdown review. Its first screen (at most 30 lines) answers "may this be applied": the
 * verdict, then RED and AMBER findings, one table row per finding (findings of the same rule,
 * type and cause in one stack share a row). Then counts per stack, the changed resources by
 * action, every finding in full (with the `moved` blocks), routine changes, cost and errors.
 */
export function renderMarkdown(review: Review): string {
  const first = firstScreen(review);
  const rest: string[] = [];
  rest.push(
    '',
    '## Stacks',
    '',
    '| stack | add | change | destroy | replace | move | plan SHA-256 |',
    '| --- | --: | --: | --: | --: | --: | --- |',
  );
  for (const s of review.stacks) {
    const c = s.counts;
    rest.push(
      `| ${s.stack}${s.status === 'failed' ? ' (plan failed)' : ''} | ${c.add} | ${c.change} | ${c.destroy} | ${c.replace} | ${c.move} | \`${s.planSha256}\` |`,
    );
  }
  rest.push('', '## Changed resources by action');
  for (const s of review.stacks) {
    const groups = Object.entries(s.changes).filter(([, list]) => list.length > 0);
    if (groups.length === 0 && s.outputChanges.length === 0) continue;
    rest.push('', `### ${s.stack}`);
    for (const [action, list] of groups)
      rest.push(`- **${action}** (${list.length}): ${list.map((a) => `\`${a}\``).join(', ')}`);
    if (s.outputChanges.length > 0)
      rest.push(
        `- **outputs** (${s.outputChanges.length}): ${s.outputChanges.map((o) => `\`${o}\``).join(', ')}`,
      );
  }
  const findings = review.items.filter((i) => i.severity !== 'GREEN');
  if (findings.length > 0) {
    rest.push('', '## Findings in full');
    for (const i of findings) {
      rest.push(
        '',
        `#### ${i.severity}${i.acknowledged ? ' (acknowledged)' : ''} ${i.stack} \`${i.address}\``,
      );
      rest.push(
        `- ${i.summary}`,
        `- construct: \`${i.constructPath}\``,
        `- action: ${i.action}; cause: ${i.cause}; guard: ${i.guard}`,
        `- rule: ${i.rule}; next step: ${i.nextStep}`,
      );
      if (i.staleConsumers && i.staleConsumers.length > 0)
        rest.push(`- stale consumer plans: ${i.staleConsumers.join(', ')}`);
      if (i.acknowledged)
        rest.push(`- acknowledged until ${i.acknowledged.expires}: ${i.acknowledged.reason}`);
      if (i.moved) rest.push('', '```hcl', i.moved, '```');
    }
  }
  const green = review.items.filter((i) => i.severity === 'GREEN');
  if (green.length > 0) {
    rest.push('', '## Routine (GREEN)', '');
    for (const i of green) rest.push(`- ${i.stack}: ${i.summary}`);
  }
  if (review.cost) {
    const c = review.cost;
    rest.push(
      '',
      `## Cost (prices of ${c.priceTableDate}, ${c.currency})`,
      '',
      `Monthly delta of this plan: **${signed(c.monthlyDelta)} USD**`,
    );
    for (const l of c.lines.filter((x) => x.monthlyDelta !== 0))
      rest.push(`- ${l.stack} \`${l.address}\`: ${signed(l.monthlyDelta)} (${l.basis})`);
    for (const e of c.environments)
      rest.push(
        `- ${e.environment}: estimated ${e.estimatedMonthly.toFixed(2)} USD/month${e.budget !== undefined ? ` of a ${e.budget} USD budget (${Math.round((e.estimatedMonthly / e.budget) * 100)}%)` : ''}`,
      );
    if (c.unpriced.length > 0) rest.push(`- not priced (no entry in the table): ${c.unpriced.join(', ')}`);
    if (c.usagePriced.length > 0) {
      rest.push('', 'Billed by usage, not in the estimate:', '');
      for (const u of c.usagePriced)
        rest.push(`- ${u.environment}: ${u.count} × \`${u.resourceType}\` (${u.unitPrices})`);
    }
  }
  if (review.ignoredAcknowledgements.length > 0) {
    rest.push('', '## Acknowledgements not applied', '');
    for (const a of review.ignoredAcknowledgements) rest.push(`- ${a.stack} \`${a.address}\`: ${a.why}`);
  }
  if (review.errors.length > 0) {
    rest.push('', '## Errors', '');
    for (const e of review.errors) rest.push('```', e, '```');
  }
  return `${[...first, ...rest].join('\n')}\n`;
}

function firstScreen(review: Review): string[] {
  const head = [
    `# Plan review: ${review.verdict} (${review.environment} @ ${review.commit.slice(0, 12)})`,
    '',
    `**${review.headline}**`,
    `exit ${review.exitCode} · rules ${review.rulesVersion} · ${review.stacks.length} stack(s)${
      review.cost ? ` · cost ${signed(review.cost.monthlyDelta)} USD/month` : ''
    }`,
  ];
  const red = rows(review.items.filter((i) => i.severity === 'RED'));
  const amber = rows(review.items.filter((i) => i.severity === 'AMBER'));
  const sectionCost = (n: number) => (n > 0 ? 4 + n : 0);
  let budget = FIRST_SCREEN_LINES - head.length - 2;
  const redShown = Math.min(red.length, Math.max(1, budget - 4 - (amber.length > 0 ? 5 : 0)));
  budget -= sectionCost(redShown + (red.length > redShown ? 1 : 0));
  const amberShown = Math.max(0, Math.min(amber.length, budget - 4 - (amber.length > budget - 4 ? 1 : 0)));
  const lines = [...head];
  const table = (title: string, all: string[], shown: number) => {
    if (all.length === 0) return;
    lines.push(
      '',
      `## ${title}`,
      '| stack | address | construct path | action | cause | guard | next step |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    lines.push(...all.slice(0, shown));
    if (all.length > shown)
      lines.push(`| … | ${all.length - shown} more row(s) in "Findings in full" | | | | | |`);
  };
  table('RED (blocks unless acknowledged)', red, redShown);
  table('AMBER (needs acknowledgement)', amber, amberShown);
  if (red.length === 0 && amber.length === 0) lines.push('', 'No RED or AMBER findings.');
  return lines;
}

/** Table rows; findings sharing stack, rule, type, action and cause are one row. */
function rows(items: readonly ReviewItem[]): string[] {
  const groups = new Map<string, ReviewItem[]>();
  for (const i of items) {
    const key = [i.stack, i.rule, i.resourceType, i.action, i.cause, Boolean(i.acknowledged)].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups.values()].map((group) => {
    const i = group[0] as ReviewItem;
    const more = group.length > 1 ? ` (+${group.length - 1} more)` : '';
    const next = i.moved ? 'add the `moved` block (below), re-plan' : i.nextStep.split('. ')[0];
    return `| ${i.stack} | \`${i.address}\`${more}${i.acknowledged ? ' ✔ acknowledged' : ''} | \`${i.constructPath}\` | ${i.action} | ${i.cause} | ${i.guard} | ${cell(next ?? '')} |`;
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}
