import { App } from 'cdktf';
import type { EnvironmentConfig } from './config/index.js';
import { applyPolicies } from './policies/index.js';
import { type BootstrapBackend, BootstrapStack } from './stacks/bootstrap-stack.js';
import { DEPLOY, type DeploymentMode } from './stacks/deployment-mode.js';
import { addEnvironmentStacks, type EnvironmentStacks } from './stacks/environment-stacks.js';

export interface BuildAppOptions {
  readonly environments: readonly EnvironmentConfig[];
  readonly mode?: DeploymentMode;
  /** Synth output folder (default: CDKTF_OUTDIR, else `cdktf.out` in the current directory). */
  readonly outdir?: string;
  /** Where the bootstrap stack keeps its own state (`BANDUP_BOOTSTRAP_BACKEND`); default `local`. */
  readonly bootstrapBackend?: BootstrapBackend;
}

export interface BandupApp {
  readonly app: App;
  readonly bootstraps: readonly BootstrapStack[];
  readonly environments: readonly EnvironmentStacks[];
}

/**
 * Builds the whole CDKTF app: one bootstrap stack per distinct account/region, then each
 * environment's stacks. Pure construction: no I/O until `app.synth()`.
 */
export function buildApp(options: BuildAppOptions): BandupApp {
  const mode = options.mode ?? DEPLOY;
  const app = new App({ outdir: options.outdir, skipValidation: false });

  const accounts = new Map<string, EnvironmentConfig>();
  for (const env of options.environments) accounts.set(`${env.accountId}/${env.region}`, env);
  const bootstraps = [...accounts.values()].map(
    (env) =>
      new BootstrapStack(
        app,
        accounts.size === 1 ? 'bandup-bootstrap' : `bandup-bootstrap-${env.accountId}`,
        {
          accountId: env.accountId,
          region: env.region,
          mode,
          backend: options.bootstrapBackend ?? 'local',
        },
      ),
  );

  const environments = options.environments.map((env) => addEnvironmentStacks(app, env, mode));
  // Tagging and security rules on every stack: a violation fails synth with its construct path.
  applyPolicies(app);
  return { app, bootstraps, environments };
}
