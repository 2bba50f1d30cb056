import { PROJECT, resourceName } from '@bandup/shared';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/index.js';
import { BandupStack } from './bandup-stack.js';
import type { DeploymentMode } from './deployment-mode.js';

export interface EnvironmentStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
}

/** Tags every resource of a stack carries (provider `default_tags`; the tagging Aspect checks the rest). */
function standardTags(config: EnvironmentConfig, stackId: string): Record<string, string> {
  return { Project: PROJECT, Environment: config.name, Stack: stackId, ManagedBy: 'cdktf', ...config.tags };
}

/** A stack of one environment: `bandup-<env>-<name>`, state key `<env>/<name>.tfstate`. */
export class EnvironmentStack extends BandupStack {
  readonly config: EnvironmentConfig;

  constructor(scope: Construct, name: string, props: EnvironmentStackProps) {
    const id = resourceName(props.config.name, name);
    super(scope, id, {
      environment: props.config.name,
      name,
      accountId: props.config.accountId,
      region: props.config.region,
      mode: props.mode,
      tags: standardTags(props.config, id),
    });
    this.config = props.config;
  }

  /** `bandup-<env>-<suffix>`: the shared naming scheme (`@bandup/shared`) for this environment. */
  resourceName(suffix: string): string {
    return resourceName(this.config.name, suffix);
  }
}
