// StrykerJS configuration for one module of modules.mjs, chosen by BANDUP_MUTATION_MODULE. Run by
// run.mjs with the module's package as the working directory (Stryker copies that package into a
// sandbox and runs its vitest config there).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES } from './modules.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by run.mjs for Stryker, not a Turborepo task input
const name = process.env.BANDUP_MUTATION_MODULE;
const module = MUTATION_MODULES.find((m) => m.name === name);
if (!module) {
  throw new Error(
    `BANDUP_MUTATION_MODULE="${name ?? ''}" is not in scripts/mutation/modules.mjs (known: ${MUTATION_MODULES.map((m) => m.name).join(', ')})`,
  );
}
const packageDir = path.join(repoRoot, module.package);
if (path.resolve(process.cwd()) !== packageDir) {
  throw new Error(`run Stryker for ${module.name} from ${module.package} (use pnpm test:mutation)`);
}
const reportDir = path.join(repoRoot, 'reports', 'mutation', module.name);
// pnpm does not hoist plugins next to @stryker-mutator/core: load the runner from the package.
const requireFromPackage = createRequire(path.join(packageDir, 'package.json'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: [requireFromPackage.resolve('@stryker-mutator/vitest-runner')],
  // The package's vitest config narrowed to the module's tests (see vitest.config.mjs for why the
  // tests are not given to Stryker as `testFiles`).
  vitest: { configFile: path.join(repoRoot, 'scripts', 'mutation', 'vitest.config.mjs'), related: false },
  mutate: module.mutate,
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  ignoreStatic: module.ignoreStatic ?? false,
  // The machine and CI runners are small (run.mjs passes its --concurrency on).
  concurrency: 2,
  timeoutMS: 10_000,
  // Incremental: only mutants whose code or covering tests changed since the stored run are re-tested.
  // run.mjs --force passes Stryker's --force: every mutant is re-tested and the file rewritten.
  incremental: true,
  incrementalFile: path.join(reportDir, 'stryker-incremental.json'),
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: path.join(reportDir, 'index.html') },
  jsonReporter: { fileName: path.join(reportDir, 'mutation.json') },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: Math.min(100, module.threshold + 5), low: module.threshold, break: module.threshold },
  // The sandbox is `<package>/.stryker-tmp/sandbox-*`; Stryker rewrites tsconfig `extends` for that
  // depth, and run.mjs links the package's siblings into `.stryker-tmp` for other relative paths.
  tempDirName: '.stryker-tmp',
  // Test scratch space (.tmp holds Terraform plugin caches, with links Stryker cannot copy) is left out.
  ignorePatterns: ['cdktf.out', 'coverage', 'test-results', 'reports', '.turbo', '.tmp', '**/.terraform'],
  cleanTempDir: true,
  logLevel: 'info',
  fileLogLevel: 'off',
};
