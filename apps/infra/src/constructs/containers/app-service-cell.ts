import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../flat-construct.js';
import type { EncryptedLogGroup } from '../observability/log-group.js';
import { EcsServiceAlarms, TargetGroupAlarms } from '../observability/service-alarms.js';
import { ActivePassiveFailover } from './active-passive-failover.js';
import { standbyRange } from './failover-headroom.js';
import type { FargateCluster } from './fargate-cluster.js';
import { FargateService, type ServiceConnectRole } from './fargate-service.js';
import type { FargateTaskDefinition } from './fargate-task-definition.js';
import { TARGET_HEALTH_CHECK } from './https-load-balancer.js';

/** `primary` serves; `standby` is the warm copy in the second AZ (active-passive mode only). */
export type CellVariant = 'primary' | 'standby';

export interface AppServiceCellProps {
  /** The app's name: service names are `<app>` (active-active) or `<app>-primary` / `<app>-standby`. */
  readonly app: string;
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly region: string;
  /** The app's sizes, counts, ports and health check. */
  readonly service: EnvironmentConfig['ecs']['frontend'];
  readonly mode: EnvironmentConfig['ecs']['mode'];
  /** App subnets, index i = AZ i: active-passive pins the primary to AZ 0 and the standby to AZ 1. */
  readonly subnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly securityGroupId: string;
  readonly cluster: FargateCluster;
  /**
   * Makes the app's task definition of a variant in `scope`. Called for the primary, and for the
   * standby (with the primary, to share its roles) when `standbyTask` is `own` (the standby's
   * container differs, e.g. in the Service Connect name it calls); with `shared` the standby runs
   * the primary's task definition.
   */
  readonly taskDefinition: (
    scope: Construct,
    variant: CellVariant,
    primary?: FargateTaskDefinition,
  ) => FargateTaskDefinition;
  readonly standbyTask: 'own' | 'shared';
  readonly serviceConnect: (variant: CellVariant) => ServiceConnectRole;
  readonly targetGroup: LbTargetGroup;
  readonly loadBalancerArnSuffix: string;
  /** The listener and rules that forward to the target group: services start once they exist. */
  readonly attachedToLoadBalancer: readonly ITerraformDependable[];
  readonly proxyLogGroup: EncryptedLogGroup;
  readonly enableExecuteCommand: boolean;
  readonly alarmTopicArn: string;
}

/**
 * One app's ECS services behind its target group: a single service over every AZ (active-active),
 * or a primary pinned to the first AZ and a warm standby pinned to the second, with the alarms and
 * step scaling that fail over to the standby (active-passive, docs/failover.md). Also the app's
 * target group and service alarms.
 */
export class AppServiceCell extends FlatConstruct {
  readonly taskDefinition: FargateTaskDefinition;
  readonly primary: FargateService;
  readonly standby?: FargateService;
  readonly failover?: ActivePassiveFailover;
  private readonly props: AppServiceCellProps;

  constructor(scope: Construct, id: string, props: AppServiceCellProps) {
    super(scope, id);
    this.props = props;
    this.taskDefinition = props.taskDefinition(this, 'primary');
    if (this.taskDefinition.taskRole) props.cluster.grantExecuteCommand(this.taskDefinition.taskRole);
    if (props.mode === 'active-passive') {
      this.primary = this.service('primary', [props.subnetIds[0] as string]);
      const standbyTask =
        props.standbyTask === 'own'
          ? props.taskDefinition(this, 'standby', this.taskDefinition)
          : this.taskDefinition;
      this.standby = this.service('standby', [props.subnetIds[1] as string], standbyTask);
      this.failover = this.standbyFailover(this.standby);
    } else {
      this.primary = this.service('primary', props.subnetIds);
    }
    this.alarms();
  }

  /** The services of the cell, primary first. */
  get services(): FargateService[] {
    return this.standby ? [this.primary, this.standby] : [this.primary];
  }

  private service(
    variant: CellVariant,
    subnetIds: readonly string[],
    taskDefinition = this.taskDefinition,
  ): FargateService {
    const { app, service: svc, mode } = this.props;
    const activePassive = mode === 'active-passive';
    const counts =
      variant === 'primary'
        ? {
            desiredCount: svc.desiredCount,
            minCount: svc.minCount,
            maxCount: svc.maxCount,
            targetTracking: { cpuPercent: svc.cpuTargetPercent, memoryPercent: svc.memoryTargetPercent },
          }
        : // Step policies move it between the warm count and the primary's maximum, nothing else.
          standbyCounts(svc);
    const name = activePassive ? `${app}-${variant}` : app;
    return new FargateService(this, activePassive ? name : `${app}-service`, {
      name,
      cluster: this.props.cluster,
      taskDefinition,
      subnetIds,
      securityGroupIds: [this.props.securityGroupId],
      targetGroupArn: this.props.targetGroup.arn,
      healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
      // Replace tasks before stopping old ones: capacity never dips during a deployment (which
      // would also look like a primary failure to the failover alarm).
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      proxyLogGroup: this.props.proxyLogGroup,
      region: this.props.region,
      enableExecuteCommand: this.props.enableExecuteCommand,
      dependsOn: this.props.attachedToLoadBalancer,
      ...counts,
      // The pinned primary must not be interrupted (Spot) or moved; a lone service may be.
      interruptible: !(activePassive && variant === 'primary'),
      availabilityZoneRebalancing: !activePassive,
      serviceConnect: this.props.serviceConnect(variant),
    });
  }

  private standbyFailover(standby: FargateService): ActivePassiveFailover {
    const { app, service: svc } = this.props;
    const range = standbyRange(svc, svc.standbyWarmCount);
    return new ActivePassiveFailover(this, `${app}-failover`, {
      name: this.props.resourceName(app),
      standby: standby.scalableTarget,
      primaryAvailabilityZone: this.props.availabilityZones[0] as string,
      primaryMinimumHealthy: svc.minCount,
      replacement: {
        unhealthySeconds: TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.unhealthyThreshold,
        graceSeconds: svc.healthCheckGracePeriodSeconds,
        healthySeconds: TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.healthyThreshold,
      },
      failoverCount: range.failoverCount,
      warmCount: svc.standbyWarmCount,
      targetGroupArnSuffix: this.props.targetGroup.arnSuffix,
      loadBalancerArnSuffix: this.props.loadBalancerArnSuffix,
      notificationTopicArn: this.props.alarmTopicArn,
    });
  }

  /** Unhealthy targets and 5xx of the target group; CPU and memory of each service. */
  private alarms(): void {
    const { app, resourceName } = this.props;
    new TargetGroupAlarms(this, `${app}-target-alarms`, {
      name: resourceName(app),
      targetGroupArnSuffix: this.props.targetGroup.arnSuffix,
      loadBalancerArnSuffix: this.props.loadBalancerArnSuffix,
      topicArn: this.props.alarmTopicArn,
    });
    for (const service of this.services) {
      new EcsServiceAlarms(this, `${service.name}-alarms`, {
        name: resourceName(service.name),
        clusterName: this.props.cluster.name,
        serviceName: service.service.name,
        topicArn: this.props.alarmTopicArn,
      });
    }
  }
}

/** The standby's counts: the warm count, and up to the primary's maximum when failed over. */
function standbyCounts(svc: AppServiceCellProps['service']) {
  const range = standbyRange(svc, svc.standbyWarmCount);
  return { desiredCount: svc.standbyWarmCount, minCount: range.min, maxCount: range.max };
}
