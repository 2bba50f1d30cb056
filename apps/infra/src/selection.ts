import type { BootstrapBackend } from './stacks/bootstrap-stack.js';
import { StartupError } from './startup-error.js';

/**
 * Which environments to synthesize: `BANDUP_ENV` wins; otherwise the CDKTF context key `env`
 * (`"context": { "env": "dev" }` in cdktf.json, which the CLI passes as `CDKTF_CONTEXT_JSON`);
 * otherwise all (`undefined`). Comma-separated lists are allowed: `dev,prod`.
 */
export function environmentSelector(env: NodeJS.ProcessEnv): string | undefined {
  if (env.BANDUP_ENV?.trim()) return env.BANDUP_ENV.trim();
  const raw = env.CDKTF_CONTEXT_JSON;
  if (!raw) return undefined;
  let context: unknown;
  try {
    context = JSON.parse(raw);
  } catch {
    throw new StartupError('CDKTF_CONTEXT_JSON is not valid JSON');
  }
  const value = (context as Record<string, unknown> | null)?.env;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new StartupError('CDKTF context "env" must be a string such as "dev" or "dev,prod"');
  return value;
}

/** `BANDUP_BOOTSTRAP_BACKEND=s3` once the state bucket exists (README: bootstrap); default local. */
export function bootstrapBackendFromEnv(env: NodeJS.ProcessEnv): BootstrapBackend {
  const value = env.BANDUP_BOOTSTRAP_BACKEND?.trim() || 'local';
  if (value !== 'local' && value !== 's3') {
    throw new StartupError(`BANDUP_BOOTSTRAP_BACKEND must be "local" or "s3", got "${value}"`);
  }
  return value;
}
