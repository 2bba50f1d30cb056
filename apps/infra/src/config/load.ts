import type { z } from 'zod';
import { type EnvironmentConfig, type EnvironmentInput, environmentSchema } from './schema.js';

/** Raised when an environment's config breaks a rule; the message lists every field and rule. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `Invalid configuration for environment "${environment}":\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || '(root)'
  );
}

/** Validates an environment definition, throwing a ConfigError that names every bad field. */
export function loadEnvironment(input: EnvironmentInput): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (result.success) return result.data;
  const label = typeof input?.name === 'string' ? input.name : '(unnamed)';
  throw new ConfigError(
    label,
    result.error.issues.map((issue: z.core.$ZodIssue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    })),
  );
}
