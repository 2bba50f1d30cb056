import { StartupError } from '../startup-error.js';
import { dev } from './dev.js';
import { loadEnvironment } from './load.js';
import { prod } from './prod.js';
import type { EnvironmentConfig, EnvironmentInput } from './schema.js';

export { ConfigError, loadEnvironment } from './load.js';
export type { EnvironmentConfig, EnvironmentInput } from './schema.js';

/** Every environment this app can synthesize, by name. */
export const ENVIRONMENT_INPUTS: Readonly<Record<string, EnvironmentInput>> = { dev, prod };

/**
 * The environments to synthesize: all by default; `BANDUP_ENV=dev` (or CDKTF context `env`, a
 * comma-separated list) narrows it. An unknown name fails with the list of known ones.
 */
export function selectEnvironments(
  selector: string | undefined,
  inputs: Readonly<Record<string, EnvironmentInput>> = ENVIRONMENT_INPUTS,
): EnvironmentConfig[] {
  const names = selector
    ? selector
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Object.keys(inputs);
  return names.map((name) => {
    const input = inputs[name];
    if (!input) {
      throw new StartupError(
        `Unknown environment "${name}" (BANDUP_ENV); known: ${Object.keys(inputs).join(', ')}`,
      );
    }
    return loadEnvironment(input);
  });
}
