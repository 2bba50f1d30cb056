import type { App } from 'cdktf';
import type { EnvironmentConfig } from '../config/index.js';
import { AiStack } from './ai/ai-stack.js';
import { AppStack } from './app/app-stack.js';
import { CicdStack } from './cicd/cicd-stack.js';
import { DataStack } from './data/data-stack.js';
import type { DeploymentMode } from './deployment-mode.js';
import { MonitoringStack } from './monitoring/monitoring-stack.js';
import { NetworkStack } from './network/network-stack.js';

/** The stacks of one environment, split by lifecycle (docs/architecture.md). */
export interface EnvironmentStacks {
  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly ai: AiStack;
  readonly app: AppStack;
  readonly cicd: CicdStack;
  readonly monitoring: MonitoringStack;
}

/**
 * Creates one environment's stacks in dependency order: network -> data -> ai -> app -> monitoring.
 * Values flow between them as CDKTF cross-stack references (outputs + remote state).
 */
export function addEnvironmentStacks(
  app: App,
  config: EnvironmentConfig,
  mode: DeploymentMode,
): EnvironmentStacks {
  const network = new NetworkStack(app, { config, mode });
  const data = new DataStack(app, { config, mode, network });
  const ai = new AiStack(app, { config, mode, data });
  const appStack = new AppStack(app, { config, mode, network, data, ai });
  const monitoring = new MonitoringStack(app, {
    config,
    mode,
    alarmTopicArn: appStack.alarmTopic.arn,
    database: { identifier: data.database.identifier },
    cache: { replicationGroupId: data.valkey.replicationGroup.replicationGroupId },
    dashboard: {
      loadBalancerArnSuffix: appStack.loadBalancer.loadBalancer.arnSuffix,
      targetGroupArnSuffixes: {
        frontend: appStack.targetGroups.frontend.arnSuffix,
        backend: appStack.targetGroups.backend.arnSuffix,
      },
      ecsClusterName: appStack.cluster.name,
      ecsServiceNames: Object.values(appStack.services).flatMap((s) =>
        [s.primary, s.standby].filter((x) => x !== undefined).map((x) => x.name),
      ),
      queues: Object.keys(ai.queues).map((q) => ({
        name: ai.resourceName(q),
        deadLetterName: `${ai.resourceName(q)}-dlq`,
      })),
      functionNames: Object.values(ai.functions).map((f) => ai.resourceName(f.spec.name)),
      api: { name: ai.resourceName('ai'), stage: config.name },
    },
  });
  // The pipeline plans and applies every stack but its own (an operator applies the cicd stack,
  // first in a new environment: it takes names only, never references, so it depends on nothing).
  const cicd = new CicdStack(app, {
    config,
    mode,
    repositoryNames: {
      frontend: appStack.resourceName('frontend'),
      backend: appStack.resourceName('backend'),
    },
    dataBucketNames: Object.values(data.buckets).map((bucket) => bucket.bucketName),
    alarmTopicName: appStack.resourceName('app-alarms'),
    alarmTopicKeyAlias: `alias/${appStack.resourceName('app')}`,
    pipelineStacks: [network, data, ai, appStack, monitoring],
  });
  return { config, network, data, ai, app: appStack, monitoring, cicd };
}
