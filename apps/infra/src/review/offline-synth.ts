import { mkdirSync, rmSync } from 'node:fs';
import type { BandupApp, BuildAppOptions } from '../app.js';
import type { EnvironmentConfig } from '../config/index.js';

/**
 * Synthesizes an app in offline mode (local state under `stateDir`, mock credentials) into
 * `outdir`. `build` is the app's `buildApp`: the working tree's, or a git ref's loaded from its
 * exported sources (plan-review-synth script), so that both synths share one state directory.
 */
export function synthOffline(
  build: (options: BuildAppOptions) => BandupApp,
  environments: readonly EnvironmentConfig[],
  outdir: string,
  stateDir: string,
): void {
  rmSync(outdir, { recursive: true, force: true });
  // CDKTF creates only the last level of outdir.
  mkdirSync(outdir, { recursive: true });
  const { app } = build({ environments, mode: { kind: 'offline', stateDir }, outdir });
  app.synth();
}
