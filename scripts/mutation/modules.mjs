/**
 * The modules under mutation testing: code whose mistakes would reach production without any other
 * check noticing (a wrong band, a job stuck or lost, a security rule that lets a bad resource
 * through). Adding a module is one entry here; `pnpm test:mutation` picks it up.
 *
 * - `name`: the report folder, `reports/mutation/<name>/`, and the name to run just this module.
 * - `package`: the workspace package the paths below are relative to (Stryker runs there).
 * - `mutate`: source globs to mutate (Stryker `mutate` syntax: `!` excludes, `file.ts:10-40` a line range).
 * - `tests`: the test files that must kill the mutants (globs). Only these run: a module's own rule
 *   tests are meant to pin it, and the slow whole-app suites would make every mutant cost minutes.
 * - `threshold`: minimum mutation score in percent; below it the command fails.
 * - `ignoreStatic` (optional): skip mutants in code that runs once at import (module-level constants,
 *   schema definitions). Such a mutant can only be tested by re-running every listed test, so set it
 *   when a listed test file is slow and the module's rules live in functions.
 */
export const MUTATION_MODULES = [
  {
    name: 'band-maths',
    package: 'packages/shared',
    mutate: ['src/bands/**/*.ts', '!src/bands/index.ts'],
    tests: ['test/bands.test.ts', 'test/band-*.test.ts', 'test/test-bands*.test.ts'],
    threshold: 95,
  },
  {
    name: 'job-store',
    package: 'apps/ai-workers',
    mutate: [
      'src/jobs/job-store.ts',
      'src/jobs/job-item.ts',
      'src/jobs/job-store-errors.ts',
      'src/jobs/result-storage.ts',
    ],
    tests: ['test/jobs/**/*.test.ts', 'test/api/status.test.ts', 'test/e2e/job-lifecycle.test.ts'],
    threshold: 90,
  },
  {
    name: 'job-lifecycle',
    package: 'apps/ai-workers',
    mutate: [
      'src/runtime/sqs-job-handler.ts',
      'src/runtime/process-records.ts',
      'src/runtime/error-classification.ts',
      'src/runtime/errors.ts',
      'src/runtime/job-worker.ts',
    ],
    // The runner's rule tests and the whole path (submit -> queue -> runner -> status). The
    // dead-letter suites (their own function) and the tracing/usage tests (other files) would only
    // lengthen every static mutant: the error-name lists re-run every listed test per mutant.
    tests: [
      'test/runtime/sqs-job-handler*.test.ts',
      'test/runtime/error-classification*.test.ts',
      'test/e2e/job-lifecycle.test.ts',
    ],
    threshold: 85,
  },
  {
    name: 'submit',
    package: 'apps/ai-workers',
    mutate: ['src/api/submit-job.ts', 'src/jobs/request-fingerprint.ts', 'src/jobs/job-id.ts'],
    tests: ['test/api/submit*.test.ts', 'test/jobs/**/*.test.ts', 'test/http/*.test.ts'],
    threshold: 85,
  },
  {
    name: 'security-rules',
    package: 'apps/infra',
    // The rules are pure functions of the resolved Terraform JSON: their own tests pin them.
    mutate: ['src/policies/security-rules.ts'],
    tests: ['test/policies-rules.test.ts'],
    threshold: 95,
  },
  {
    name: 'policy-aspects',
    package: 'apps/infra',
    // The Aspects wire the rules and the tags into synth: their rule tests on a tiny in-memory stack,
    // the one-stack synths and the rule tests (PUBLIC_LOAD_BALANCER_PORTS). Not policies-in-app (a
    // whole environment's synth per mutant: slow, and its timeouts would count as kills).
    mutate: [
      'src/policies/security-aspect.ts',
      'src/policies/tagging-aspect.ts',
      'src/policies/internet-ingress.ts',
    ],
    tests: ['test/policies-aspects.test.ts', 'test/policies.test.ts', 'test/policies-rules.test.ts'],
    threshold: 90,
  },
  {
    name: 'config-rules',
    package: 'apps/infra',
    mutate: ['src/config/schema.ts', 'src/config/cidr.ts', 'src/config/load.ts'],
    tests: ['test/config-*.test.ts'],
    threshold: 85,
    // The zod schema is built at import; config-rules.test.ts also synthesizes in a child process
    // (30 s), which every static mutant would re-run. The rules (superRefine, CIDR maths) are functions.
    ignoreStatic: true,
  },
  {
    name: 'catalogue-grants',
    package: 'apps/infra',
    mutate: ['src/stacks/ai/catalogue-grants.ts'],
    // The grants run during the synth in the file's beforeAll, so every mutant is static and re-runs
    // the whole file: the grant rules synthesize only the AI stacks. ai-iam.test.ts (wildcards across
    // the whole app) adds a full-app synth per mutant and states no catalogue rule.
    tests: ['test/ai-iam-catalogue-grants.test.ts'],
    threshold: 85,
  },
  {
    name: 'plan-review',
    package: 'apps/infra',
    // What makes a plan RED, AMBER or GREEN (the rules themselves live in plan-review/rules.json and
    // are loaded by the tests): pure functions of plan JSON and synth indexes.
    mutate: ['src/review/classify-stack.ts'],
    tests: ['test/review/classify-stack.test.ts', 'test/review/classify-rules-mutation.test.ts'],
    threshold: 85,
  },
  {
    name: 'buildspecs',
    package: 'apps/infra',
    mutate: ['src/stacks/cicd/buildspecs/**/*.ts'],
    tests: ['test/cicd-buildspecs*.test.ts'],
    threshold: 85,
  },
];
