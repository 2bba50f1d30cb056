import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers/index.js';
import type { EcsServiceCapacityProviderStrategy } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { ServiceDiscoveryHttpNamespace } from '@cdktf/provider-aws/lib/service-discovery-http-namespace/index.js';
import { Construct } from 'constructs';
import type { EncryptedLogGroup } from '../observability/log-group.js';
import type { Grantee } from '../security/iam/policy-document.js';

/** ECS Exec settings: the session data channel is KMS-encrypted and every session is logged. */
export interface ExecuteCommandSettings {
  /** Key that encrypts the session channel; tasks need kms:Decrypt on it (see grantExecuteCommand). */
  readonly key: { readonly arn: string };
  /** Encrypted log group receiving the session transcripts. */
  readonly logGroup: EncryptedLogGroup;
}

export interface FargateClusterProps {
  /** Cluster name, `bandup-<env>`. */
  readonly name: string;
  /** Cloud Map HTTP namespace for Service Connect, e.g. `bandup-prod.internal`. */
  readonly serviceConnectNamespace: string;
  /** Whether services may place part of their tasks on Fargate Spot (cheaper, interruptible). */
  readonly fargateSpot: boolean;
  /** ECS Exec configuration; undefined keeps ECS Exec off for the whole cluster. */
  readonly executeCommand?: ExecuteCommandSettings;
}

/**
 * An ECS cluster for Fargate services: Container Insights with enhanced observability (per-task
 * and per-container metrics), the FARGATE and FARGATE_SPOT capacity providers, a Cloud Map HTTP
 * namespace for Service Connect, and, when enabled, ECS Exec with an encrypted, logged channel.
 */
export class FargateCluster extends Construct {
  readonly cluster: EcsCluster;
  readonly namespace: ServiceDiscoveryHttpNamespace;
  readonly capacityProviders: EcsClusterCapacityProviders;
  readonly fargateSpot: boolean;
  readonly executeCommand?: ExecuteCommandSettings;

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);
    this.fargateSpot = props.fargateSpot;
    this.executeCommand = props.executeCommand;
    this.namespace = new ServiceDiscoveryHttpNamespace(this, 'namespace', {
      name: props.serviceConnectNamespace,
      description: `Service Connect namespace of ${props.name}`,
    });
    this.cluster = new EcsCluster(this, 'cluster', {
      name: props.name,
      setting: [{ name: 'containerInsights', value: 'enhanced' }],
      serviceConnectDefaults: { namespace: this.namespace.arn },
      configuration: props.executeCommand
        ? {
            executeCommandConfiguration: {
              kmsKeyId: props.executeCommand.key.arn,
              logging: 'OVERRIDE',
              logConfiguration: {
                cloudWatchEncryptionEnabled: true,
                cloudWatchLogGroupName: props.executeCommand.logGroup.name,
              },
            },
          }
        : undefined,
    });
    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: props.fargateSpot ? ['FARGATE', 'FARGATE_SPOT'] : ['FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 0, weight: 1 }],
    });
  }

  get arn(): string {
    return this.cluster.arn;
  }

  get name(): string {
    return this.cluster.name;
  }

  /**
   * Capacity provider strategy for a service. `interruptible` services (active-active, warm
   * standbys) put most tasks on Spot when the environment allows it; a primary never does, since
   * a Spot reclaim would look exactly like the failure that triggers failover.
   */
  capacityStrategy(interruptible: boolean): EcsServiceCapacityProviderStrategy[] {
    if (!(interruptible && this.fargateSpot)) return [{ capacityProvider: 'FARGATE', base: 0, weight: 1 }];
    return [
      { capacityProvider: 'FARGATE', base: 0, weight: 1 },
      { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 3 },
    ];
  }

  /**
   * What a task role needs for ECS Exec sessions: the SSM message channels, the session key, and
   * the session log group. No-op when ECS Exec is off, so no task gets these permissions in prod.
   */
  grantExecuteCommand(taskRole: Grantee): void {
    const exec = this.executeCommand;
    if (!exec) return;
    // The SSM message channel actions have no resource-level permissions.
    taskRole.addToPolicy({
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      resources: ['*'],
    });
    taskRole.addToPolicy({ actions: ['kms:Decrypt'], resources: [exec.key.arn] });
    taskRole.addToPolicy({ actions: ['logs:DescribeLogGroups'], resources: ['*'] });
    taskRole.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: [`${exec.logGroup.arn}:*`],
    });
  }
}
