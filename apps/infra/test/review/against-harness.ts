import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.js';
import { type EnvironmentInput, loadEnvironment } from '../../src/config/index.js';
import { prod } from '../../src/config/prod.js';
import { buildReview } from '../../src/review/build-review.js';
import { synthOffline } from '../../src/review/offline-synth.js';
import { convergeBaseline, planChanges, synthFingerprint } from '../../src/review/plan-against.js';
import type { Json } from '../../src/review/plan-json.js';
import { writeReview } from '../../src/review/review-command.js';
import { readStackInputs } from '../../src/review/review-inputs.js';
import type { Review } from '../../src/review/review-model.js';
import { loadRules } from '../../src/review/review-rules.js';
import {
  keepInitialization,
  readSynthesizedApp,
  type SynthesizedApp,
} from '../../src/review/stack-workspace.js';
import { readSynthIndex } from '../../src/review/synth-index.js';
import {
  pluginMirrorDir,
  prepareTerraformCli,
  terraformUnavailableReason,
} from '../../src/review/terraform-cli.js';

/**
 * Regression fixtures of the plan review, built with the `--against` mechanism: the prod app of
 * this tree is the baseline (planned, turned into a converged state), each fixture is a change
 * of it (a configuration value, or an edit of the synthesized stack that a code change makes,
 * e.g. a construct id rename), planned against that state with real Terraform. Work happens in
 * `.tmp/plan-review-fixtures/` (git-ignored); the converged baseline and each fixture's plans
 * are kept there keyed by the content hash of their configuration, so a re-run with nothing
 * changed plans nothing.
 */
const FIXTURE_STACKS = new Set([
  'bandup-prod-network',
  'bandup-prod-data',
  'bandup-prod-ai',
  'bandup-prod-app',
  'bandup-prod-monitoring',
]);

const workDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp/plan-review-fixtures');
const stateDir = path.join(workDir, 'state');

export const terraformSkipReason = terraformUnavailableReason(pluginMirrorDir());

export interface Fixture {
  readonly name: string;
  /** Change of the prod configuration. */
  readonly config?: (input: EnvironmentInput) => EnvironmentInput;
  /** Edit of synthesized stacks (what a code change does to them), by stack id. */
  readonly edit?: (stacks: Record<string, Json>) => void;
}

let baseline:
  | Promise<{ app: SynthesizedApp; converged: Awaited<ReturnType<typeof convergeBaseline>> }>
  | undefined;
const cli = () => prepareTerraformCli(workDir, pluginMirrorDir());

/** The converged baseline, once per test process (and reused across runs while unchanged). */
export function convergedBaseline() {
  baseline ??= (async () => {
    const outdir = path.join(workDir, 'baseline');
    keepInitialization(outdir, () => synthOffline(buildApp, [loadEnvironment(prod)], outdir, stateDir));
    const app = readSynthesizedApp(outdir, FIXTURE_STACKS);
    const converged = await convergeBaseline({
      baseline: app,
      cli: cli(),
      workDir,
      log: (l) => console.log(l),
    });
    return { app, converged };
  })();
  return baseline;
}

export interface FixtureRun {
  readonly review: Review;
  readonly outcomes: Readonly<Record<string, string>>;
  readonly plansDir: string;
  /** Wall time of synth + plans (0 when the plans were reused) and of the review, in ms. */
  readonly planMs: number;
  readonly reviewMs: number;
}

/** Synthesizes the fixture's change, plans it against the converged baseline and reviews it. */
export async function runFixture(fixture: Fixture): Promise<FixtureRun> {
  const { app: base, converged } = await convergedBaseline();
  const started = performance.now();
  const dir = path.join(workDir, 'fixtures', fixture.name);
  const outdir = path.join(dir, 'synth');
  if (fixture.config) {
    synthOffline(buildApp, [loadEnvironment(fixture.config(structuredClone(prod)))], outdir, stateDir);
  } else {
    // Same configuration as the baseline: its synth, without Terraform's working files, is this
    // fixture's starting point (a synth of the prod app costs tens of seconds on a busy machine).
    rmSync(outdir, { recursive: true, force: true });
    cpSync(base.outdir, outdir, {
      recursive: true,
      filter: (source) => !/[/\\](\.terraform|tfplan)$/.test(source),
    });
  }
  if (fixture.edit) {
    const docs: Record<string, Json> = {};
    for (const id of FIXTURE_STACKS) docs[id] = JSON.parse(readFileSync(stackFile(outdir, id), 'utf8'));
    fixture.edit(docs);
    for (const id of FIXTURE_STACKS) writeFileSync(stackFile(outdir, id), JSON.stringify(docs[id], null, 2));
  }
  const changed = readSynthesizedApp(outdir, FIXTURE_STACKS);
  const plansDir = path.join(dir, 'plans');
  const key = createHash('sha256')
    .update(synthFingerprint(base))
    .update(synthFingerprint(changed))
    .digest('hex');
  const markerFile = path.join(dir, 'plans.key');
  let outcomes: Record<string, string>;
  let planned = false;
  if (existsSync(markerFile) && JSON.parse(readFileSync(markerFile, 'utf8')).key === key) {
    outcomes = JSON.parse(readFileSync(markerFile, 'utf8')).outcomes;
  } else {
    planned = true;
    rmSync(plansDir, { recursive: true, force: true });
    const results = await planChanges(base, converged, changed, cli(), plansDir);
    outcomes = Object.fromEntries(results.map((r) => [r.stack, r.outcome]));
    mkdirSync(dir, { recursive: true });
    writeFileSync(markerFile, JSON.stringify({ key, outcomes }));
  }
  const planMs = planned ? performance.now() - started : 0;
  const reviewStarted = performance.now();
  const review = buildReview({
    inputs: readStackInputs([plansDir]),
    environment: 'prod',
    commit: fixture.name,
    rules: loadRules(),
    synth: readSynthIndex(outdir),
    previousSynth: readSynthIndex(base.outdir),
    acknowledgements: [],
  });
  const reviewMs = performance.now() - reviewStarted;
  // review.md/json/txt next to the plans, for reading a fixture's review as a reviewer sees it.
  writeReview(review, path.join(dir, 'review'));
  return { review, outcomes, plansDir, planMs, reviewMs };
}

function stackFile(outdir: string, id: string): string {
  return path.join(outdir, 'stacks', id, 'cdk.tf.json');
}

/**
 * A construct-id rename as CDKTF synthesizes it: the resources' logical ids change (`from` ->
 * `to(name)`), and so does every reference to them in the stack; the construct path too.
 */
export function renameResources(
  doc: Json,
  type: string,
  from: RegExp,
  to: (name: string) => string,
  newPath: (p: string) => string,
): void {
  const renames: [string, string, string][] = [];
  for (const [t, byName] of Object.entries<Json>(doc.resource ?? {}))
    for (const name of Object.keys(byName))
      if ((type === '*' || t === type) && from.test(name)) renames.push([t, name, to(name)]);
  if (renames.length === 0) throw new Error(`no ${type} resource matches ${from}`);
  for (const [t, old, next] of renames) {
    const byName = doc.resource[t];
    byName[next] = byName[old];
    delete byName[old];
    const meta = byName[next]['//']?.metadata;
    if (meta) meta.path = newPath(meta.path);
  }
  let text = JSON.stringify(doc);
  // Every reference: interpolations, `depends_on`, and `for` expressions (`in aws_x.name : ...`).
  for (const [t, old, next] of renames)
    text = text.replace(
      new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(`${t}.${old}`)}(?![A-Za-z0-9_-])`, 'g'),
      `${t}.${next}`,
    );
  const renamed = JSON.parse(text);
  for (const key of Object.keys(doc)) delete doc[key];
  Object.assign(doc, renamed);
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
