import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENVIRONMENT_INPUTS } from '../config/index.js';
import { DEFAULT_ACKS_FILE, loadAcknowledgements } from './acknowledgements.js';
import { buildReview } from './build-review.js';
import type { StackInput } from './classify-stack.js';
import { estimateCost } from './cost-estimate.js';
import { DEFAULT_PRICES_FILE, loadPriceTable } from './price-table.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import { environmentOfStacks, readStackInputs } from './review-inputs.js';
import type { Review } from './review-model.js';
import { DEFAULT_RULES_FILE, loadRules } from './review-rules.js';
import { EMPTY_SYNTH_INDEX, readSynthIndex, type SynthIndex } from './synth-index.js';

/**
 * `pnpm plan:review`: argument handling and output of the review (see docs/plan-review.md for
 * the contract). The work is in the modules it calls; this only wires files to them.
 */
export interface ReviewCommandOptions {
  readonly format: 'md' | 'json' | 'text';
  readonly outDir?: string;
  readonly environment?: string;
  readonly commit?: string;
  readonly acksFile: string;
  readonly acksExplicit: boolean;
  readonly synthDir?: string;
  readonly rulesFile: string;
  readonly pricesFile?: string;
  readonly against?: string;
  readonly inputs: readonly string[];
}

export const USAGE = `usage: pnpm plan:review [--format md|json|text] [--out-dir DIR] [--env ENV] [--commit SHA]
                        [--acks FILE] [--synth-dir DIR] [--rules FILE] [--prices FILE] <plan.json ...| DIR>
       pnpm plan:review --against <git ref> [--env ENV] [output options]`;

/** Parses argv; relative paths resolve against `cwd` (the directory pnpm was started from). */
export function parseReviewArgs(
  argv: readonly string[],
  cwd: string,
  repoRoot: string,
): ReviewCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      'out-dir': { type: 'string' },
      env: { type: 'string' },
      commit: { type: 'string' },
      acks: { type: 'string' },
      'synth-dir': { type: 'string' },
      rules: { type: 'string' },
      prices: { type: 'string' },
      against: { type: 'string' },
    },
  });
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'text')
    throw new Error(`--format ${format}: expected md, json or text`);
  if (values.against !== undefined && positionals.length > 0)
    throw new Error('--against plans the working tree itself: give no plan files with it');
  if (values.against === undefined && positionals.length === 0) throw new Error(`no plan given\n${USAGE}`);
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const defaultSynth = path.join(repoRoot, 'cdktf.out');
  return {
    format,
    outDir: resolve(values['out-dir']),
    environment: values.env,
    commit: values.commit,
    acksFile: resolve(values.acks) ?? DEFAULT_ACKS_FILE,
    acksExplicit: values.acks !== undefined,
    synthDir:
      resolve(values['synth-dir']) ??
      (existsSync(path.join(defaultSynth, 'manifest.json')) ? defaultSynth : undefined),
    rulesFile: resolve(values.rules) ?? DEFAULT_RULES_FILE,
    pricesFile: resolve(values.prices),
    against: values.against,
    inputs: positionals.map((p) => path.resolve(cwd, p)),
  };
}

export interface ReviewRun {
  readonly inputs: readonly StackInput[];
  readonly synth: SynthIndex;
  readonly previousSynth?: SynthIndex;
}

/** Builds the review of already-planned stacks and writes/prints it; returns the review. */
export function reviewPlans(
  options: ReviewCommandOptions,
  run: ReviewRun,
  extras: { readonly now?: Date } = {},
): Review {
  const rules = loadRules(options.rulesFile);
  const acknowledgements = loadAcknowledgements(options.acksFile, options.acksExplicit);
  const cost = estimateCost({
    inputs: run.inputs,
    prices: loadPriceTable(options.pricesFile ?? DEFAULT_PRICES_FILE),
    synth: run.synth,
    configuredBudget: (env) => ENVIRONMENT_INPUTS[env]?.observability.monthlyBudgetUsd,
  });
  return buildReview({
    inputs: run.inputs,
    environment: options.environment ?? environmentOfStacks(run.inputs.map((i) => i.stack)),
    commit: options.commit ?? currentCommit(),
    rules,
    synth: run.synth,
    previousSynth: run.previousSynth,
    acknowledgements,
    cost,
    now: extras.now,
  });
}

export function readRunFromFiles(options: ReviewCommandOptions): ReviewRun {
  return {
    inputs: readStackInputs(options.inputs),
    synth: options.synthDir ? readSynthIndex(options.synthDir) : EMPTY_SYNTH_INDEX,
  };
}

export function renderReview(review: Review, format: ReviewCommandOptions['format']): string {
  if (format === 'json') return `${JSON.stringify(review, null, 2)}\n`;
  if (format === 'text') return renderText(review);
  return renderMarkdown(review);
}

export function writeReview(review: Review, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'review.md'), renderMarkdown(review));
  writeFileSync(path.join(outDir, 'review.json'), `${JSON.stringify(review, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'review.txt'), renderText(review));
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
