/**
 * `pnpm plan:review`: risk-classified review of Terraform plans (docs/plan-review.md).
 * Exit codes: 0 no changes, 1 tool or plan error, 2 GREEN, 3 AMBER, 4 RED (unacknowledged).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseReviewArgs,
  readRunFromFiles,
  renderReview,
  reviewPlans,
  USAGE,
  writeReview,
} from '../src/review/review-command.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// pnpm runs the script in apps/infra; paths on the command line are relative to where pnpm started.
const cwd = process.env.INIT_CWD ?? process.cwd();

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const options = parseReviewArgs(argv, cwd, repoRoot);
  const run = options.against
    ? // Loaded only for --against: the synth and Terraform machinery is not needed to review plans.
      await (await import('../src/review/review-against.js')).prepareAgainst({
        repoRoot,
        ref: options.against,
        environment: options.environment,
        log: (line) => console.error(line),
      })
    : readRunFromFiles(options);
  const review = reviewPlans(options, run);
  if (options.outDir) writeReview(review, options.outDir);
  process.stdout.write(renderReview(review, options.format));
  process.exitCode = review.exitCode;
} catch (error) {
  console.error(`plan review failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
