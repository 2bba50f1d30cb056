import { ENV_VARS, type EnvVarKey } from './env-vars.js';
import { type FunctionName, WORKER_CATALOGUE } from './worker-catalogue.js';

/**
 * Reads the env vars a function's catalogue entry declares, failing fast (at cold start) with
 * the names of every missing variable rather than at first use.
 */
export function readWorkerEnv<F extends FunctionName>(
  fn: F,
  source: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<Record<EnvVarKey, string | undefined>> & { readonly get: (key: EnvVarKey) => string } {
  const declared = WORKER_CATALOGUE[fn].env;
  const missing = declared.filter((key) => !source[ENV_VARS[key]]).map((key) => ENV_VARS[key]);
  if (missing.length > 0) {
    throw new Error(`Function "${fn}" is missing environment variable(s): ${missing.join(', ')}`);
  }
  const values = Object.fromEntries(
    (Object.keys(ENV_VARS) as EnvVarKey[]).map((key) => [key, source[ENV_VARS[key]]]),
  ) as Record<EnvVarKey, string | undefined>;
  return {
    ...values,
    get(key: EnvVarKey): string {
      const value = values[key];
      if (!value) throw new Error(`Function "${fn}" reads ${ENV_VARS[key]}, which is not set`);
      return value;
    },
  };
}
