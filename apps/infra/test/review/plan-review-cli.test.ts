import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { planSha256 } from '../../src/review/plan-hash.js';
import { change, plan } from './plan-builders.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const launcher = path.join(infraDir, 'scripts/plan-review.mjs');
/** The launcher's bundle cache, private to this file: the first run builds it, later runs reuse it. */
const bundleCache = mkdtempSync(path.join(tmpdir(), 'plan-review-cli-bundle-'));

/** Runs the CLI as `pnpm plan:review` does: a real process, files in, exit code and files out. */
function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [launcher, ...args], {
    cwd: infraDir,
    env: { ...process.env, INIT_CWD: cwd, PLAN_REVIEW_CLI_CACHE: bundleCache },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const currentBuild = () =>
  JSON.parse(readFileSync(path.join(bundleCache, 'current.json'), 'utf8')) as {
    dir: string;
    inputs: [string, number, number][];
  };

const deleteDb = plan([
  change('aws_db_instance.db', ['delete'], { identifier: 'bandup-prod-postgres' }, null),
]);

describe('pnpm plan:review (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'plan-review-cli-'));
    mkdirSync(path.join(dir, 'plans'));
    writeFileSync(path.join(dir, 'plans/bandup-prod-data.json'), JSON.stringify(deleteDb));
    writeFileSync(
      path.join(dir, 'plans/bandup-prod-ai.plan-log.jsonl'),
      [
        JSON.stringify({ '@level': 'info', type: 'version', terraform: '1.11.0' }),
        JSON.stringify({
          '@level': 'error',
          type: 'diagnostic',
          diagnostic: {
            severity: 'error',
            summary: 'Instance cannot be destroyed',
            detail:
              'Resource aws_dynamodb_table.jobs-table_E9338AD5 has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.',
          },
        }),
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'same.json'),
      JSON.stringify(plan([change('aws_sqs_queue.q', ['no-op'], { name: 'q' }, { name: 'q' })])),
    );
    writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ format_version: '1.0', values: {} }));
  });

  it('reviews a directory of plans and plan logs: exit 4, review.md/json/txt written, JSON on stdout', () => {
    const r = cli(
      [
        '--format',
        'json',
        '--out-dir',
        'out',
        '--env',
        'prod',
        '--commit',
        'abc123',
        '--acks',
        'none.json',
        'plans',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(`plan review failed: --acks ${path.join(dir, 'none.json')}: no such file\n`);
    const ok = cli(
      ['--format', 'json', '--out-dir', 'out', '--env', 'prod', '--commit', 'abc123', 'plans'],
      dir,
    );
    expect(ok.code, ok.stderr).toBe(4);
    const review = JSON.parse(ok.stdout);
    expect(review).toMatchObject({ verdict: 'RED', environment: 'prod', commit: 'abc123', exitCode: 4 });
    expect(review.items.map((i: { stack: string; rule: string }) => `${i.stack} ${i.rule}`)).toEqual([
      'bandup-prod-ai prevent-destroy',
      'bandup-prod-data stateful-delete',
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/review.json'), 'utf8'))).toEqual(review);
    expect(readFileSync(path.join(dir, 'out/review.md'), 'utf8')).toMatch(
      /^# Plan review: RED \(prod @ abc123\)/,
    );
    expect(readFileSync(path.join(dir, 'out/review.txt'), 'utf8')).toMatch(/^RED {2}RED: 2 blocking/);
  });

  it('an acknowledgement of exactly this plan lowers the exit code; exit 0 for no changes', () => {
    writeFileSync(
      path.join(dir, 'acks.json'),
      JSON.stringify({
        acknowledgements: [
          {
            stack: 'bandup-prod-data',
            address: 'aws_db_instance.db',
            planSha256: planSha256(deleteDb),
            reason: 'replaced by the v2 cluster, OPS-7',
            expires: '2999-01-01',
          },
        ],
      }),
    );
    const r = cli(['--format', 'text', '--acks', 'acks.json', 'plans/bandup-prod-data.json'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('[acknowledged until 2999-01-01]');
    expect(cli(['same.json'], dir).code).toBe(0);
  });

  it('bad input exits 1 naming what is wrong', () => {
    expect(cli(['--format', 'html', 'same.json'], dir)).toMatchObject({
      code: 1,
      stderr: 'plan review failed: --format html: expected md, json or text\n',
    });
    expect(cli(['state.json'], dir).stderr).toContain('state.json: a state, not a plan');
    expect(cli(['missing'], dir).stderr).toContain('missing: no such file or directory');
    expect(cli([], dir).code).toBe(1);
  });

  it('--help prints the usage and exits 0, without reviewing anything', () => {
    const r = cli(['--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: pnpm plan:review \[--format md\|json\|text\]/);
    expect(r.stdout).toContain('--against <git ref>');
  });

  it('runs from a bundle that is reused while its sources are unchanged and rebuilt when one changed', () => {
    expect(cli(['same.json'], dir).code).toBe(0);
    const first = currentBuild();
    expect(first.inputs.map(([file]) => path.relative(infraDir, file))).toContain(
      'src/review/classify-stack.ts',
    );
    expect(cli(['same.json'], dir).code).toBe(0);
    expect(currentBuild().dir).toBe(first.dir);
    // A source file that no longer matches what the bundle was built from (as after an edit).
    const stale = {
      ...first,
      inputs: first.inputs.map(([f, size, m], i) => [f, i === 0 ? size + 1 : size, m]),
    };
    writeFileSync(path.join(bundleCache, 'current.json'), JSON.stringify(stale));
    expect(cli(['plans/bandup-prod-data.json'], dir).code).toBe(4);
    expect(currentBuild().dir).not.toBe(first.dir);
    expect(currentBuild().inputs).toEqual(first.inputs);
  });
});
