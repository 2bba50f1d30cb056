import { describe, expect, it } from 'vitest';
import { parseAcknowledgements } from '../../src/review/acknowledgements.js';
import { buildReview } from '../../src/review/build-review.js';
import { planSha256 } from '../../src/review/plan-hash.js';
import { FIRST_SCREEN_LINES, renderMarkdown } from '../../src/review/render-markdown.js';
import { renderText } from '../../src/review/render-text.js';
import { change, emptySynth, plan, rules } from './plan-builders.js';

const DATA = 'bandup-prod-data';
const dbDelete = plan([
  change('aws_db_instance.db', ['delete'], { identifier: 'x', deletion_protection: true }, null),
]);
const majorUpgrade = plan([
  change('aws_db_instance.db', ['update'], { engine_version: '17' }, { engine_version: '18' }),
]);
const lambdaCode = plan([
  change(
    'aws_lambda_function.f',
    ['update'],
    { function_name: 'f', source_code_hash: '1' },
    { function_name: 'f', source_code_hash: '2' },
  ),
]);
const noChanges = plan([change('aws_db_instance.db', ['no-op'], { identifier: 'x' }, { identifier: 'x' })]);
const now = new Date('2026-11-29T12:00:00Z');
const review = (
  p: ReturnType<typeof plan>,
  acknowledgements: Parameters<typeof buildReview>[0]['acknowledgements'] = [],
) =>
  buildReview({
    inputs: [{ stack: DATA, plan: p }],
    environment: 'prod',
    commit: 'abc',
    rules,
    synth: emptySynth,
    acknowledgements,
    now,
  });

describe('verdict and exit code', () => {
  it.each([
    ['no changes', 'NO_CHANGES', 0, noChanges],
    ['GREEN change', 'GREEN', 2, lambdaCode],
    ['AMBER', 'AMBER', 3, majorUpgrade],
    ['RED', 'RED', 4, dbDelete],
  ] as const)('%s -> verdict %s, exit %i', (_name, verdict, exitCode, p) => {
    const r = review(p);
    expect([r.verdict, r.exitCode]).toEqual([verdict, exitCode]);
  });

  it('a plan error is verdict ERROR, exit 1, even next to a RED stack', () => {
    const r = buildReview({
      inputs: [
        { stack: DATA, plan: dbDelete },
        {
          stack: 'bandup-prod-ai',
          diagnostics: [{ severity: 'error', summary: 'Unsupported argument', detail: 'x' }],
        },
      ],
      environment: 'prod',
      commit: 'abc',
      rules,
      synth: emptySynth,
    });
    expect([r.verdict, r.exitCode]).toEqual(['ERROR', 1]);
    expect(r.errors).toEqual(['bandup-prod-ai: plan failed: Unsupported argument: x']);
  });

  it('a monthly cost increase above the threshold is AMBER', () => {
    const cost = {
      priceTableDate: '2026-11-01',
      currency: 'USD' as const,
      lines: [],
      environments: [],
      unpriced: [],
      usagePriced: [],
    };
    const over = buildReview({
      inputs: [{ stack: DATA, plan: lambdaCode }],
      environment: 'prod',
      commit: 'a',
      rules,
      synth: emptySynth,
      cost: { ...cost, monthlyDelta: rules.amberMonthlyIncreaseUsd + 1 },
    });
    const under = buildReview({
      inputs: [{ stack: DATA, plan: lambdaCode }],
      environment: 'prod',
      commit: 'a',
      rules,
      synth: emptySynth,
      cost: { ...cost, monthlyDelta: rules.amberMonthlyIncreaseUsd },
    });
    expect([over.verdict, under.verdict]).toEqual(['AMBER', 'GREEN']);
  });
});

describe('acknowledgements', () => {
  const ack = (over: Record<string, unknown> = {}) =>
    parseAcknowledgements(
      {
        acknowledgements: [
          {
            stack: DATA,
            address: 'aws_db_instance.db',
            planSha256: planSha256(dbDelete),
            reason: 'decommissioning the old database, OPS-1',
            expires: '2026-11-29',
            ...over,
          },
        ],
      },
      'acks.json',
    );

  it('an acknowledgement of this plan, address and stack, not expired, turns RED into exit 2', () => {
    const r = review(dbDelete, ack());
    expect([r.verdict, r.exitCode]).toEqual(['GREEN', 2]);
    expect(r.items[0]?.acknowledged).toEqual({
      reason: 'decommissioning the old database, OPS-1',
      expires: '2026-11-29',
    });
    expect(r.headline).toContain('1 RED/AMBER acknowledged');
  });

  it('another plan hash does not count, and is reported as not applied', () => {
    const r = review(dbDelete, ack({ planSha256: planSha256(majorUpgrade) }));
    expect(r.exitCode).toBe(4);
    expect(r.ignoredAcknowledgements[0]?.why).toMatch(/^for plan [0-9a-f]{12}…, this plan is [0-9a-f]{12}…$/);
  });

  it('an expired acknowledgement or one for another stack does not count', () => {
    expect(review(dbDelete, ack({ expires: '2026-11-28' })).exitCode).toBe(4);
    expect(review(dbDelete, ack({ expires: '2026-11-28' })).ignoredAcknowledgements[0]?.why).toBe(
      'expired 2026-11-28',
    );
    expect(review(dbDelete, ack({ stack: 'bandup-dev-data' })).exitCode).toBe(4);
  });

  it('rejects a file without reason, hash or date, naming each field', () => {
    expect(() =>
      parseAcknowledgements(
        {
          acknowledgements: [{ stack: DATA, address: 'a', planSha256: 'abc', reason: 'ok', expires: 'soon' }],
        },
        'acks.json',
      ),
    ).toThrow(
      /acks\.json:\n {2}- acknowledgements\.0\.planSha256: a SHA-256.*\n {2}- acknowledgements\.0\.reason: say why.*\n {2}- acknowledgements\.0\.expires: a date YYYY-MM-DD/,
    );
  });

  it('the plan hash ignores the timestamp and Terraform version but not the planned values', () => {
    const base = planSha256(dbDelete);
    expect(planSha256({ ...dbDelete, terraform_version: '1.12.0', timestamp: 'x' } as typeof dbDelete)).toBe(
      base,
    );
    expect(
      planSha256(
        plan([
          change('aws_db_instance.db', ['delete'], { identifier: 'y', deletion_protection: true }, null),
        ]),
      ),
    ).not.toBe(base);
  });
});

describe('rendering', () => {
  it('the Markdown first screen holds verdict, RED and AMBER within 30 lines, even with many findings', () => {
    const many = plan([
      ...Array.from({ length: 40 }, (_, i) =>
        change(`aws_sqs_queue.q${i}`, ['delete'], { name: `q${i}` }, null, {
          action_reason: 'delete_because_no_resource_config',
        }),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        change(
          `aws_db_instance.d${i}`,
          ['update'],
          { instance_class: 'a', identifier: `d${i}` },
          { instance_class: 'b', identifier: `d${i}` },
        ),
      ),
      ...Array.from({ length: 25 }, (_, i) =>
        change(
          `aws_kms_key.k${i}`,
          ['delete', 'create'],
          { description: `k${i}` },
          { description: `k${i}x` },
          { replace_paths: [[`f${i}`]] },
        ),
      ),
    ]);
    const md = renderMarkdown(review(many));
    const lines = md.split('\n');
    const firstScreen = lines.slice(0, lines.indexOf('## Stacks'));
    expect(firstScreen.length).toBeLessThanOrEqual(FIRST_SCREEN_LINES + 1);
    expect(firstScreen[0]).toBe('# Plan review: RED (prod @ abc)');
    expect(firstScreen.join('\n')).toContain('## RED (blocks unless acknowledged)');
    expect(firstScreen.join('\n')).toContain('## AMBER (needs acknowledgement)');
    expect(firstScreen.join('\n')).toMatch(/more row\(s\) in "Findings in full"/);
    expect(md).toContain('| bandup-prod-data | 0 | 30 | 40 | 25 | 0 |');
  });

  it('a RED row carries address, construct path, action, cause, guard and next step', () => {
    const md = renderMarkdown(review(dbDelete));
    expect(md).toContain(
      '| bandup-prod-data | `aws_db_instance.db` | `(not in the synthesized app)` | delete | removed from configuration | deletion_protection = true | Do not apply |',
    );
    expect(renderText(review(dbDelete))).toMatch(/^RED {2}RED: 1 blocking finding/);
  });
});
