import { App, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { wafLogGroupPattern } from '../src/constructs/observability/log-delivery-policies.js';
import {
  BODY_RULES,
  MANAGED_RULE_GROUPS,
  WafWebAcl,
  type WafWebAclProps,
} from '../src/constructs/security/waf-web-acl.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

const baseProps: WafWebAclProps = {
  name: 'bandup-test-alb',
  description: 'test ACL',
  accountId: '111111111111',
  region: 'ap-southeast-1',
  rateLimitPer5Minutes: 2000,
  logRetentionDays: 30,
  logKey: { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/test' },
};

function synth(props: Partial<WafWebAclProps> = {}, associate?: string): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'waf-test');
  const acl = new WafWebAcl(stack, 'waf', { ...baseProps, ...props });
  if (associate) acl.associate(associate);
  return JSON.parse(Testing.synth(stack)).resource;
}

function only(resources: Json, type: string): Json {
  const all = Object.values(resources[type] ?? {});
  expect(all, type).toHaveLength(1);
  return all[0] as Json;
}

describe('WafWebAcl', () => {
  it('is a regional ACL that allows by default and runs every managed group with its own actions', () => {
    const acl = only(synth(), 'aws_wafv2_web_acl');
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.default_action).toEqual({ allow: {} });
    const managed = (acl.rule as Json[]).filter((r) => r.statement.managed_rule_group_statement);
    expect(managed.map((r) => r.statement.managed_rule_group_statement.name).sort()).toEqual(
      [
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesLinuxRuleSet',
        'AWSManagedRulesSQLiRuleSet',
      ].sort(),
    );
    for (const rule of managed) {
      expect(rule.override_action).toEqual({ none: {} });
      expect(rule.statement.managed_rule_group_statement.vendor_name).toBe('AWS');
      expect(rule.visibility_config).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
      });
      expect(rule.statement.managed_rule_group_statement.rule_action_override).toBeUndefined();
    }
    const priorities = (acl.rule as Json[]).map((r) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it('blocks per client IP above the configured rate', () => {
    const acl = only(synth({ rateLimitPer5Minutes: 750 }), 'aws_wafv2_web_acl');
    const rate = (acl.rule as Json[]).find((r) => r.statement.rate_based_statement);
    expect(rate?.action).toEqual({ block: {} });
    expect(rate?.statement.rate_based_statement).toEqual({
      limit: 750,
      aggregate_key_type: 'IP',
      evaluation_window_sec: 300,
    });
  });

  it('logs to an encrypted aws-waf-logs- group with credential headers redacted', () => {
    const resources = synth();
    const group = only(resources, 'aws_cloudwatch_log_group');
    expect(group.name).toBe('aws-waf-logs-bandup-test-alb');
    expect(group.kms_key_id).toBe(baseProps.logKey.arn);
    expect(group.retention_in_days).toBe(30);
    const logging = only(resources, 'aws_wafv2_web_acl_logging_configuration');
    expect(logging.redacted_fields).toEqual([
      { single_header: { name: 'authorization' } },
      { single_header: { name: 'cookie' } },
    ]);
    expect(logging.log_destination_configs[0]).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    // No resource policy per web ACL: the data stack's one per environment admits the group's name.
    expect(resources.aws_cloudwatch_log_resource_policy).toBeUndefined();
    expect(group.name).toMatch(new RegExp(`^${wafLogGroupPattern('test').replace('*', '')}`));
  });

  it('switches only the named rules of a group to count', () => {
    const acl = only(
      synth({ countOnlyRules: { AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'] } }),
      'aws_wafv2_web_acl',
    );
    const common = (acl.rule as Json[]).find((r) => r.name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: 'SizeRestrictions_BODY', action_to_use: { count: {} } },
    ]);
    expect(common?.override_action).toEqual({ none: {} });
    expect(MANAGED_RULE_GROUPS).toHaveLength(5);
  });

  it('associates a resource with the ACL', () => {
    const assoc = only(
      synth({}, 'arn:aws:elasticloadbalancing:ap-southeast-1:111111111111:loadbalancer/app/x/1'),
      'aws_wafv2_web_acl_association',
    );
    expect(assoc.resource_arn).toContain('loadbalancer/app/x/1');
    expect(assoc.web_acl_arn).toMatch(/aws_wafv2_web_acl\..*\.arn/);
  });

  it('rejects a rate limit below the WAF minimum and a bad name, naming them', () => {
    const stack = new TerraformStack(new App(), 's');
    expect(() => new WafWebAcl(stack, 'a', { ...baseProps, rateLimitPer5Minutes: 5 })).toThrow(
      /rateLimitPer5Minutes/,
    );
    expect(() => new WafWebAcl(stack, 'b', { ...baseProps, name: 'bad name!' })).toThrow(/bad name!/);
  });
});

describe('body rules scoped away from free-text routes', () => {
  const acl = (bodyRules: WafWebAclProps['bodyRules']) => only(synth({ bodyRules }), 'aws_wafv2_web_acl');
  const rule = (a: Json, name: string) => (a.rule as Json[]).find((r) => r.name === name) as Json;

  it('managed body rules only label; one rule blocks labelled requests outside the free-text prefixes', () => {
    const a = acl({ mode: 'block', freeTextPathPrefixes: ['/api/blogs', '/api/writing'] });
    const overrides = (group: string) =>
      (rule(a, group).statement.managed_rule_group_statement.rule_action_override as Json[]).map((o) => [
        o.name,
        Object.keys(o.action_to_use)[0],
      ]);
    expect(overrides('AWSManagedRulesCommonRuleSet')).toEqual([
      ['CrossSiteScripting_BODY', 'count'],
      ['GenericLFI_BODY', 'count'],
    ]);
    expect(overrides('AWSManagedRulesSQLiRuleSet')).toEqual([
      ['SQLi_BODY', 'count'],
      ['SQLiExtendedPatterns_BODY', 'count'],
    ]);
    const scoped = rule(a, 'body-rules-outside-free-text');
    expect(scoped.action).toEqual({ block: {} });
    expect(scoped.priority).toBeGreaterThan(
      Math.max(...(a.rule as Json[]).filter((r) => r !== scoped).map((r) => r.priority)),
    );
    const [labelled, notFree] = scoped.statement.and_statement.statement as [Json, Json];
    expect((labelled.or_statement.statement as Json[]).map((s) => s.label_match_statement.key)).toEqual(
      Object.values(BODY_RULES).flatMap((g) => Object.values(g)),
    );
    const prefixes = (notFree.not_statement.statement[0].or_statement.statement as Json[]).map((s) => [
      s.byte_match_statement.positional_constraint,
      s.byte_match_statement.search_string,
    ]);
    expect(prefixes).toEqual([
      ['STARTS_WITH', '/api/blogs'],
      ['STARTS_WITH', '/api/writing'],
    ]);
  });

  it('count mode is a rollout: the scoped rule counts instead of blocking', () => {
    expect(
      rule(acl({ mode: 'count', freeTextPathPrefixes: ['/api/blogs'] }), 'body-rules-outside-free-text')
        .action,
    ).toEqual({
      count: {},
    });
  });

  it('without bodyRules every managed rule blocks as before', () => {
    const a = only(synth(), 'aws_wafv2_web_acl');
    expect(rule(a, 'body-rules-outside-free-text')).toBeUndefined();
    expect(
      rule(a, 'AWSManagedRulesSQLiRuleSet').statement.managed_rule_group_statement.rule_action_override,
    ).toBeUndefined();
  });
});
