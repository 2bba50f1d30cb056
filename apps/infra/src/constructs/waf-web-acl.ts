import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl/index.js';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association/index.js';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration/index.js';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from './log-group.js';

/** The AWS managed rule groups every Bandup web ACL runs, in evaluation order (cheapest, broadest first). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
] as const;

export type ManagedRuleGroupName = (typeof MANAGED_RULE_GROUPS)[number];

/** Request headers never written to WAF logs: they carry bearer tokens and session cookies. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

export interface WafWebAclProps {
  /** Web ACL name, `bandup-<env>-<purpose>` (e.g. `bandup-prod-alb`); also names its metrics and log group. */
  readonly name: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** Requests per client IP per 5-minute window before the rate rule blocks (`config.waf.rateLimitPer5Minutes`). */
  readonly rateLimitPer5Minutes: number;
  /** Retention of the WAF log group (`config.observability.logRetentionDays`). */
  readonly logRetentionDays: number;
  /** Key whose policy admits `logs.<region>.amazonaws.com` (the data stack's logs key). */
  readonly logKey: { readonly arn: string };
  /**
   * Rules of a managed group switched to COUNT (still logged, never blocking), for known false
   * positives of the protected application, e.g. `{ AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] }`.
   * The call site must say why. Default: none, every rule blocks.
   */
  readonly countOnlyRules?: Partial<Record<ManagedRuleGroupName, readonly string[]>>;
}

/**
 * A regional WAFv2 web ACL for an ALB or an API Gateway stage: the AWS managed rule groups for
 * common exploits, known bad inputs, IP reputation, SQL injection and Linux LFI, plus a per-IP
 * rate-based rule; everything else is allowed. Every rule emits CloudWatch metrics and sampled
 * requests, and full logs go to a KMS-encrypted `aws-waf-logs-` log group with the credential
 * headers redacted.
 */
export class WafWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logGroup: EncryptedLogGroup;
  private associations = 0;

  constructor(scope: Construct, id: string, props: WafWebAclProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,115}$/.test(props.name)) {
      throw new Error(`WAF web ACL name "${props.name}" must be 1-115 characters of A-Z a-z 0-9 _ -`);
    }
    if (!Number.isInteger(props.rateLimitPer5Minutes) || props.rateLimitPer5Minutes < 10) {
      throw new Error(
        `WAF web ACL ${props.name}: rateLimitPer5Minutes must be an integer of at least 10 (the WAF minimum)`,
      );
    }
    const metric = (suffix: string) =>
      `${props.name}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
    const visibility = (suffix: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: metric(suffix),
    });

    const managedRules: Wafv2WebAclRule[] = MANAGED_RULE_GROUPS.map((group, i) => {
      const countOnly = props.countOnlyRules?.[group] ?? [];
      return {
        name: group,
        priority: (i + 1) * 10,
        // `none` keeps each group's own actions (block); `count` would turn the whole group into a dry run.
        overrideAction: { none: {} },
        // `statement` is untyped in the provider bindings: it is written in Terraform's snake_case form.
        statement: {
          managed_rule_group_statement: {
            vendor_name: 'AWS',
            name: group,
            ...(countOnly.length > 0
              ? {
                  rule_action_override: countOnly.map((rule) => ({
                    name: rule,
                    action_to_use: { count: {} },
                  })),
                }
              : {}),
          },
        },
        visibilityConfig: visibility(group),
      };
    });

    const rateRule: Wafv2WebAclRule = {
      name: 'per-ip-rate-limit',
      // Evaluated first: a flood is blocked before it costs managed rule group evaluations.
      priority: 1,
      action: { block: {} },
      statement: {
        rate_based_statement: {
          limit: props.rateLimitPer5Minutes,
          aggregate_key_type: 'IP',
          evaluation_window_sec: 300,
        },
      },
      visibilityConfig: visibility('per-ip-rate-limit'),
    };

    this.webAcl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      description: props.description,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [rateRule, ...managedRules],
      visibilityConfig: visibility('web-acl'),
    });

    // WAF requires the destination log group's name to start with `aws-waf-logs-`.
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logKey,
    });
    // WAF delivers through the CloudWatch Logs delivery service, admitted by the environment's one
    // resource policy for all `aws-waf-logs-bandup-<env>-*` groups (wafLogDeliveryStatement, created
    // by the data stack): CloudWatch Logs allows only 10 resource policies per account and region.
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
    });
  }

  get arn(): string {
    return this.webAcl.arn;
  }

  /** Protects a regional resource (an ALB ARN, or an API Gateway stage ARN) with this web ACL. */
  associate(resourceArn: string, id?: string): Wafv2WebAclAssociation {
    this.associations += 1;
    return new Wafv2WebAclAssociation(this, id ?? `association-${this.associations}`, {
      resourceArn,
      webAclArn: this.webAcl.arn,
    });
  }
}
