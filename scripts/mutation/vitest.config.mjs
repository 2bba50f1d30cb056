// The vitest configuration Stryker runs for one module (BANDUP_MUTATION_MODULE): the package's own
// vitest.config.ts with `include` narrowed to the module's `tests`. The tests are narrowed here
// rather than with Stryker's `testFiles` because Stryker 10 activates a static mutant (module-level
// code, which runs at import) only after the module was imported when `testFiles` is set, so every
// static mutant would survive whatever the tests check.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MUTATION_MODULES } from './modules.mjs';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by run.mjs for Stryker, not a Turborepo task input
const name = process.env.BANDUP_MUTATION_MODULE;
const module = MUTATION_MODULES.find((m) => m.name === name);
if (!module) throw new Error(`BANDUP_MUTATION_MODULE="${name ?? ''}" is not in scripts/mutation/modules.mjs`);

// Stryker runs vitest in the sandbox copy of the package: its config is the one in the working directory.
const root = process.cwd();
const { default: base } = await import(pathToFileURL(path.join(root, 'vitest.config.ts')).href);

export default {
  ...base,
  root,
  test: { ...base.test, include: module.tests },
};
