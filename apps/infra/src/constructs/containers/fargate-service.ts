import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import {
  EcsService,
  type EcsServiceServiceConnectConfiguration,
} from '@cdktf/provider-aws/lib/ecs-service/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EncryptedLogGroup } from '../observability/log-group.js';
import type { FargateCluster } from './fargate-cluster.js';
import type { FargateTaskDefinition } from './fargate-task-definition.js';

/** How the service takes part in Service Connect. */
export type ServiceConnectRole =
  /** Calls other services by name, publishes nothing. */
  | { readonly kind: 'client' }
  /** Publishes its port mapping under `dnsName:port` (and calls others). */
  | {
      readonly kind: 'server';
      readonly discoveryName: string;
      readonly dnsName: string;
      readonly port: number;
    };

export interface FargateServiceProps {
  /** ECS service name, e.g. `frontend-primary`. Unique within the cluster. */
  readonly name: string;
  readonly cluster: FargateCluster;
  readonly taskDefinition: FargateTaskDefinition;
  /** Private subnets the tasks run in: one subnet pins the service to one AZ. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Initial task count; afterwards Application Auto Scaling owns it. */
  readonly desiredCount: number;
  /** Bounds of the service's scalable target. */
  readonly minCount: number;
  readonly maxCount: number;
  /** CPU and memory target tracking; omitted for a service scaled only by failover step policies. */
  readonly targetTracking?: { readonly cpuPercent: number; readonly memoryPercent: number };
  readonly targetGroupArn: string;
  readonly healthCheckGracePeriodSeconds: number;
  /** Rolling deployment bounds (percent of desired count). */
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  /** May run on Fargate Spot when the cluster allows it. */
  readonly interruptible: boolean;
  /** Spread and rebalance tasks over the subnets' AZs (services over more than one AZ). */
  readonly availabilityZoneRebalancing: boolean;
  readonly serviceConnect: ServiceConnectRole;
  /** Log group for the Service Connect proxy's own logs. */
  readonly proxyLogGroup: EncryptedLogGroup;
  readonly region: string;
  readonly enableExecuteCommand: boolean;
  /**
   * Listener and listener rules that attach the target group to the load balancer: ECS refuses a
   * target group that no load balancer uses yet, so the service waits for them.
   */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * One ECS service on Fargate behind an ALB target group, with the deployment circuit breaker
 * (a deployment that never becomes healthy is rolled back), no public IP, Service Connect, tags
 * propagated to tasks, and an Application Auto Scaling target (plus CPU and memory target
 * tracking when asked).
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  readonly scalableTarget: AppautoscalingTarget;
  readonly name: string;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    validate(props);
    this.name = props.name;
    const td = props.taskDefinition;
    this.service = new EcsService(this, 'service', {
      name: props.name,
      cluster: props.cluster.arn,
      taskDefinition: td.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: props.cluster.capacityStrategy(props.interruptible),
      platformVersion: 'LATEST',
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        // Tasks live in private subnets and reach AWS through NAT and VPC endpoints.
        assignPublicIp: false,
      },
      loadBalancer: [
        {
          targetGroupArn: props.targetGroupArn,
          containerName: td.containerName,
          containerPort: td.containerPort,
        },
      ],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
      deploymentController: { type: 'ECS' },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.minimumHealthyPercent,
      deploymentMaximumPercent: props.maximumPercent,
      availabilityZoneRebalancing: props.availabilityZoneRebalancing ? 'ENABLED' : 'DISABLED',
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      enableExecuteCommand: props.enableExecuteCommand,
      // Terraform returns once ECS accepted the change; the circuit breaker, not a Terraform
      // timeout, decides whether a deployment succeeds (and rolls it back if not).
      waitForSteadyState: false,
      serviceConnectConfiguration: serviceConnect(props),
      // A capacity provider strategy is refused until the providers are associated with the cluster.
      dependsOn: [...props.dependsOn, props.cluster.capacityProviders],
      // Application Auto Scaling (target tracking, failover step policies) changes the desired
      // count at run time; without this every plan would try to reset it to the initial value.
      lifecycle: { ignoreChanges: ['desired_count'] },
    });

    this.scalableTarget = new AppautoscalingTarget(this, 'scalable-target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.name}/${this.service.name}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });

    if (props.targetTracking) {
      const metrics = [
        ['cpu', 'ECSServiceAverageCPUUtilization', props.targetTracking.cpuPercent],
        ['memory', 'ECSServiceAverageMemoryUtilization', props.targetTracking.memoryPercent],
      ] as const;
      for (const [key, metric, target] of metrics) {
        new AppautoscalingPolicy(this, `${key}-target-tracking`, {
          name: `${props.name}-${key}-target-tracking`,
          policyType: 'TargetTrackingScaling',
          serviceNamespace: this.scalableTarget.serviceNamespace,
          scalableDimension: this.scalableTarget.scalableDimension,
          resourceId: this.scalableTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: target,
            predefinedMetricSpecification: { predefinedMetricType: metric },
            // Out fast, in slowly: a burst should not flap the task count.
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
          },
        });
      }
    }
  }
}

function serviceConnect(props: FargateServiceProps): EcsServiceServiceConnectConfiguration {
  const td = props.taskDefinition;
  const role = props.serviceConnect;
  return {
    enabled: true,
    namespace: props.cluster.namespace.arn,
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': props.proxyLogGroup.name,
        'awslogs-region': props.region,
        'awslogs-stream-prefix': `${props.name}-service-connect`,
      },
    },
    service:
      role.kind === 'server'
        ? [
            {
              portName: td.portName,
              discoveryName: role.discoveryName,
              clientAlias: { dnsName: role.dnsName, port: role.port },
            },
          ]
        : undefined,
  };
}

function validate(props: FargateServiceProps): void {
  const where = `ECS service ${props.name}`;
  if (props.subnetIds.length === 0) throw new Error(`${where}: needs at least one subnet`);
  if (props.minCount < 0 || props.minCount > props.maxCount) {
    throw new Error(`${where}: minCount ${props.minCount} must lie between 0 and maxCount ${props.maxCount}`);
  }
  if (props.desiredCount < props.minCount || props.desiredCount > props.maxCount) {
    throw new Error(`${where}: desiredCount ${props.desiredCount} must lie between minCount and maxCount`);
  }
  if (props.maximumPercent <= 100 || props.minimumHealthyPercent > 100) {
    throw new Error(
      `${where}: a rolling deployment needs maximumPercent > 100 and minimumHealthyPercent <= 100`,
    );
  }
}
