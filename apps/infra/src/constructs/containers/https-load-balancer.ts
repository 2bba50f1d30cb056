import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { contentSuffix } from '../security/content-suffix.js';

/** Modern TLS only: TLS 1.3 and 1.2 with forward-secret AEAD ciphers. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface TargetGroupSpec {
  /** Target group name (at most 32 characters). */
  readonly name: string;
  readonly port: number;
  readonly healthCheckPath: string;
  /** HTTP codes counted healthy (default `200-399`: a front page may redirect to sign-in). */
  readonly healthCheckMatcher?: string;
  /** Seconds in-flight requests get when a target leaves (default 30). */
  readonly deregistrationDelaySeconds?: number;
  /**
   * ALB cookie (`AWSALB`) stickiness: a client's requests keep reaching the same target for this
   * many seconds (1 s to 7 days), or until that target becomes unhealthy or leaves. Off by default.
   */
  readonly stickyForSeconds?: number;
}

export interface HttpsLoadBalancerProps {
  /** Load balancer name, `bandup-<env>` (at most 32 characters). */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Bucket (with the ALB log delivery policy) and key prefix for access logs. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  readonly deletionProtection: boolean;
  /** Seconds an idle connection stays open. */
  readonly idleTimeoutSeconds: number;
  /** The site's domain: certificate subject and alias record name. */
  readonly domainName: string;
  /** Public hosted zone of the domain (certificate validation and alias records). */
  readonly hostedZoneId: string;
  /** Target group of the HTTPS listener's default action. */
  readonly defaultTarget: TargetGroupSpec;
}

/** Target health checks: a target is unhealthy after 3 failures 15 s apart (45 s), healthy after 2 passes (30 s). */
export const TARGET_HEALTH_CHECK = {
  intervalSeconds: 15,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
} as const;

/**
 * An internet-facing ALB that serves HTTPS only: HTTP:80 answers a permanent redirect to HTTPS,
 * 443 terminates TLS with a DNS-validated ACM certificate and a modern policy, malformed headers
 * are dropped, access logs go to S3, and the domain's alias record points at it. Target groups
 * and path rules are added with `addTargetGroup` / `addPathRule`.
 */
export class HttpsLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly certificate: AcmCertificate;
  readonly certificateValidation: AcmCertificateValidation;
  readonly httpListener: LbListener;
  readonly httpsListener: LbListener;
  readonly defaultTargetGroup: LbTargetGroup;
  readonly aliasRecords: Route53Record[];
  private readonly vpcId: string;

  constructor(scope: Construct, id: string, props: HttpsLoadBalancerProps) {
    super(scope, id);
    if (props.name.length > 32)
      throw new Error(`Load balancer name "${props.name}" is longer than 32 characters`);
    if (props.idleTimeoutSeconds < 1 || props.idleTimeoutSeconds > 4000) {
      throw new Error(`Load balancer ${props.name}: idleTimeoutSeconds must be 1-4000`);
    }
    this.vpcId = props.vpcId;

    this.loadBalancer = new Lb(this, 'alb', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      // IPv4 only: the VPC's subnets have no IPv6 blocks, which a dualstack ALB would require.
      ipAddressType: 'ipv4',
      subnets: [...props.subnetIds],
      securityGroups: [...props.securityGroupIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      enableHttp2: true,
      idleTimeout: props.idleTimeoutSeconds,
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
    });

    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domainName,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      // A replacement certificate must be issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // One CNAME per distinct domain; keyed by domain name so the keys are known at plan time.
    const validationOptions = TerraformIterator.fromComplexList(
      this.certificate.domainValidationOptions,
      'domain_name',
    );
    const validationRecords = new Route53Record(this, 'certificate-validation-record', {
      forEach: validationOptions,
      zoneId: props.hostedZoneId,
      name: validationOptions.getString('resource_record_name'),
      type: validationOptions.getString('resource_record_type'),
      records: [validationOptions.getString('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    this.certificateValidation = new AcmCertificateValidation(this, 'certificate-validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(
        TerraformIterator.fromResources(validationRecords).pluckProperty('fqdn'),
      ),
    });

    this.defaultTargetGroup = this.addTargetGroup('default-target-group', props.defaultTarget);

    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
      ],
    });
    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      // The validation's ARN (not the certificate's) makes the listener wait until it is issued.
      certificateArn: this.certificateValidation.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: this.defaultTargetGroup.arn }],
    });

    this.aliasRecords = [
      new Route53Record(this, 'alias-a', {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type: 'A',
        alias: {
          name: this.loadBalancer.dnsName,
          zoneId: this.loadBalancer.zoneId,
          evaluateTargetHealth: true,
        },
      }),
    ];
  }

  get arn(): string {
    return this.loadBalancer.arn;
  }

  /**
   * An IP-target HTTP target group for Fargate tasks (health check: `TARGET_HEALTH_CHECK`),
   * stickiness off unless `stickyForSeconds`.
   */
  addTargetGroup(id: string, spec: TargetGroupSpec): LbTargetGroup {
    // What forces a target group's replacement is in its name, so a replacement can be created
    // before the old group is destroyed (listener rules and services move over first).
    const name = `${spec.name}-${contentSuffix('ip', 'HTTP', 'HTTP1', spec.port)}`;
    if (name.length > 32)
      throw new Error(
        `Target group name "${name}" (with its 9-character suffix) is longer than 32 characters`,
      );
    if (
      spec.stickyForSeconds !== undefined &&
      (spec.stickyForSeconds < 1 || spec.stickyForSeconds > 604_800)
    ) {
      throw new Error(
        `Target group ${spec.name}: stickyForSeconds must be 1-604800, got ${spec.stickyForSeconds}`,
      );
    }
    return new LbTargetGroup(this, id, {
      name,
      lifecycle: { createBeforeDestroy: true },
      targetType: 'ip',
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      port: spec.port,
      vpcId: this.vpcId,
      deregistrationDelay: String(spec.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        path: spec.healthCheckPath,
        port: 'traffic-port',
        matcher: spec.healthCheckMatcher ?? '200-399',
        interval: TARGET_HEALTH_CHECK.intervalSeconds,
        timeout: 5,
        healthyThreshold: TARGET_HEALTH_CHECK.healthyThreshold,
        unhealthyThreshold: TARGET_HEALTH_CHECK.unhealthyThreshold,
      },
      stickiness:
        spec.stickyForSeconds === undefined
          ? // Any task can serve any request: sessions live in the cache, not in a task.
            { type: 'lb_cookie', enabled: false }
          : { type: 'lb_cookie', enabled: true, cookieDuration: spec.stickyForSeconds },
    });
  }

  /** Forwards requests whose path matches one of the patterns (at most 5) on the HTTPS listener. */
  addPathRule(
    id: string,
    priority: number,
    pathPatterns: readonly string[],
    targetGroup: LbTargetGroup,
  ): LbListenerRule {
    if (pathPatterns.length === 0 || pathPatterns.length > 5) {
      throw new Error(`Listener rule ${id}: needs 1-5 path patterns, got ${pathPatterns.length}`);
    }
    return new LbListenerRule(this, id, {
      listenerArn: this.httpsListener.arn,
      priority,
      action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      condition: [{ pathPattern: { values: [...pathPatterns] } }],
    });
  }
}
