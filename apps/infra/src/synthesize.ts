import { buildApp } from './app.js';
import type { EnvironmentInput } from './config/index.js';
import { ConfigError, ENVIRONMENT_INPUTS, selectEnvironments } from './config/index.js';
import { bootstrapBackendFromEnv, environmentSelector } from './selection.js';
import { StartupError } from './startup-error.js';

export interface SynthesizeOptions {
  /** `BANDUP_ENV`, `CDKTF_CONTEXT_JSON`, `CDKTF_OUTDIR`, `BANDUP_BOOTSTRAP_BACKEND`. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the output goes when `CDKTF_OUTDIR` is unset. */
  readonly defaultOutdir: string;
  /** The configurations to select from (default: the repository's environments). */
  readonly inputs?: Readonly<Record<string, EnvironmentInput>>;
}

/**
 * What `cdktf synth` runs: select the environments, validate their configuration, build the app
 * and synthesize it. Returns the exit code: 0, or 1 after one line naming a mistake in the command
 * or the configuration (a stack trace would only bury it). Anything else is a bug and is thrown.
 */
export function synthesize(options: SynthesizeOptions): number {
  const { env } = options;
  try {
    const environments = selectEnvironments(environmentSelector(env), options.inputs ?? ENVIRONMENT_INPUTS);
    const { app } = buildApp({
      environments,
      outdir: env.CDKTF_OUTDIR ?? options.defaultOutdir,
      bootstrapBackend: bootstrapBackendFromEnv(env),
    });
    app.synth();
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      console.error(`bandup synth: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
