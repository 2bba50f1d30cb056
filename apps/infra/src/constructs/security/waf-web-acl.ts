import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl/index.js';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association/index.js';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration/index.js';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';

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
const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

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
  /**
   * Body rules (XSS, SQLi, LFI in request bodies) scoped away from free-text routes: the managed
   * body rules only label a match, and one rule of this ACL blocks (or, while rolling out, counts)
   * labelled requests whose path does not start with one of `freeTextPathPrefixes`.
   */
  readonly bodyRules?: { readonly mode: 'count' | 'block'; readonly freeTextPathPrefixes: readonly string[] };
}

/** Managed body rules and the labels they add (AWS managed rule group documentation). */
export const BODY_RULES = {
  AWSManagedRulesCommonRuleSet: {
    CrossSiteScripting_BODY: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
    GenericLFI_BODY: 'awswaf:managed:aws:core-rule-set:GenericLFI_Body',
  },
  AWSManagedRulesSQLiRuleSet: {
    SQLi_BODY: 'awswaf:managed:aws:sql-database:SQLi_Body',
    SQLiExtendedPatterns_BODY: 'awswaf:managed:aws:sql-database:SQLiExtendedPatterns_Body',
  },
} as const satisfies Partial<Record<ManagedRuleGroupName, Record<string, string>>>;

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
      const bodyRules = props.bodyRules
        ? Object.keys(BODY_RULES[group as keyof typeof BODY_RULES] ?? {})
        : [];
      const countOnly = [...new Set([...(props.countOnlyRules?.[group] ?? []), ...bodyRules])];
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

    const scopedBodyRules = props.bodyRules
      ? [bodyRule(props.bodyRules, visibility('body-rules-outside-free-text'))]
      : [];

    this.webAcl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      description: props.description,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [rateRule, ...managedRules, ...scopedBodyRules],
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

/** Either one statement or an OR of several (WAF's or_statement needs at least two). */
function anyOf(statements: Record<string, unknown>[]): Record<string, unknown> {
  return statements.length === 1
    ? (statements[0] as Record<string, unknown>)
    : { or_statement: { statement: statements } };
}

/**
 * After the managed groups: blocks (or counts) requests that a managed body rule labelled, unless
 * their path starts with a free-text prefix.
 */
function bodyRule(
  rules: NonNullable<WafWebAclProps['bodyRules']>,
  visibilityConfig: Wafv2WebAclRule['visibilityConfig'],
): Wafv2WebAclRule {
  const labels = Object.values(BODY_RULES).flatMap((group) => Object.values(group));
  const labelled = anyOf(labels.map((key) => ({ label_match_statement: { scope: 'LABEL', key } })));
  const freeText = rules.freeTextPathPrefixes.map((prefix) => ({
    byte_match_statement: {
      field_to_match: { uri_path: {} },
      positional_constraint: 'STARTS_WITH',
      search_string: prefix,
      text_transformation: [{ priority: 0, type: 'NONE' }],
    },
  }));
  return {
    name: 'body-rules-outside-free-text',
    priority: (MANAGED_RULE_GROUPS.length + 1) * 10,
    action: rules.mode === 'block' ? { block: {} } : { count: {} },
    statement:
      freeText.length === 0
        ? labelled
        : { and_statement: { statement: [labelled, { not_statement: { statement: [anyOf(freeText)] } }] } },
    visibilityConfig,
  };
}
