import type { EnvironmentConfig } from '../../config/index.js';
import type { ContainerRepository } from '../../constructs/containers/container-repository.js';
import type { EncryptedLogGroup } from '../../constructs/observability/log-group.js';
import type { AppName } from './app-names.js';

/** What every task definition of the app stack is made from. */
export interface AppTaskContext {
  readonly config: EnvironmentConfig;
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly repositories: Readonly<Record<AppName, ContainerRepository>>;
  readonly logGroups: Readonly<Record<AppName, EncryptedLogGroup>>;
}

/** The task definition properties both apps set the same way, from the app's config. */
export function commonTaskProps(app: AppName, context: AppTaskContext) {
  const { config } = context;
  const svc = config.ecs[app];
  return {
    accountId: config.accountId,
    region: config.region,
    cpu: svc.cpu,
    memoryMib: svc.memoryMib,
    cpuArchitecture: svc.cpuArchitecture,
    repository: context.repositories[app],
    imageTag: svc.imageTag,
    containerName: app,
    containerPort: svc.containerPort,
    portName: 'http',
    user: svc.user,
    readonlyRootFilesystem: svc.readonlyRootFilesystem,
    logGroup: context.logGroups[app],
    executeCommandEnabled: config.ecs.enableExecuteCommand,
  };
}
