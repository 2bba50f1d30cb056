import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { AwsProvider, type AwsProviderDefaultTags } from '@cdktf/provider-aws/lib/provider/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { AnnotationMetadataEntryType, App, TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  isInternetFacingLoadBalancerGroup,
  markInternetFacingLoadBalancerGroup,
} from '../src/policies/internet-ingress.js';
import { SecurityPolicyAspect } from '../src/policies/security-aspect.js';
import { TaggingAspect } from '../src/policies/tagging-aspect.js';

/*
 * The Aspects' own rules, on a tiny in-memory stack (no synth to disk, no app): what the tagging
 * Aspect puts on a provider and refuses, where the security Aspect reports a violation, and how a
 * load balancer's group is marked. The rules the security Aspect applies are pinned by
 * policies-rules.test.ts; the whole path through `app.synth()` by policies.test.ts.
 */

const errorsOn = (c: IConstruct) =>
  c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.ERROR).map((m) => String(m.data));

const stackWith = (tags?: Record<string, string>) => {
  const stack = new TerraformStack(new App(), 'bandup-dev-tiny');
  const provider = new AwsProvider(stack, 'aws', {
    region: 'ap-southeast-1',
    ...(tags ? { defaultTags: [{ tags }] } : {}),
  });
  return { stack, provider };
};

const tagsOf = (provider: AwsProvider) => (provider.defaultTags as AwsProviderDefaultTags[])[0]?.tags;

describe('tagging Aspect', () => {
  it('fills Stack (the stack id) and ManagedBy=cdktf next to the Project and Environment it was given', () => {
    const { provider } = stackWith({ Project: 'bandup', Environment: 'dev' });
    new TaggingAspect().visit(provider);
    expect(provider.defaultTags).toEqual([
      { tags: { Project: 'bandup', Environment: 'dev', Stack: 'bandup-dev-tiny', ManagedBy: 'cdktf' } },
    ]);
    expect(errorsOn(provider)).toEqual([]);
  });

  it('keeps a Stack tag and other tags already set', () => {
    const { provider } = stackWith({ Project: 'bandup', Environment: 'dev', Stack: 'own', Owner: 'team' });
    new TaggingAspect().visit(provider);
    expect(tagsOf(provider)).toEqual({
      Project: 'bandup',
      Environment: 'dev',
      Stack: 'own',
      Owner: 'team',
      ManagedBy: 'cdktf',
    });
  });

  it('fills Stack alone when ManagedBy is already cdktf, and ManagedBy alone when Stack is set', () => {
    const onlyStack = stackWith({ Project: 'bandup', Environment: 'dev', ManagedBy: 'cdktf' }).provider;
    new TaggingAspect().visit(onlyStack);
    expect(tagsOf(onlyStack)).toEqual({
      Project: 'bandup',
      Environment: 'dev',
      ManagedBy: 'cdktf',
      Stack: 'bandup-dev-tiny',
    });
    const onlyManagedBy = stackWith({ Project: 'bandup', Environment: 'dev', Stack: 'own' }).provider;
    new TaggingAspect().visit(onlyManagedBy);
    expect(tagsOf(onlyManagedBy)).toEqual({
      Project: 'bandup',
      Environment: 'dev',
      Stack: 'own',
      ManagedBy: 'cdktf',
    });
  });

  it('a provider without default_tags fails naming each missing tag, and still gets Stack and ManagedBy', () => {
    const { provider } = stackWith();
    new TaggingAspect().visit(provider);
    expect(errorsOn(provider)).toEqual([
      'tagging: provider default_tags lack the Project tag',
      'tagging: provider default_tags lack the Environment tag',
    ]);
    expect(provider.defaultTags).toEqual([{ tags: { Stack: 'bandup-dev-tiny', ManagedBy: 'cdktf' } }]);
  });

  it('an empty Project or Environment value counts as missing', () => {
    const { provider } = stackWith({ Project: '', Environment: 'dev' });
    new TaggingAspect().visit(provider);
    expect(errorsOn(provider)).toEqual(['tagging: provider default_tags lack the Project tag']);
  });

  it('ManagedBy other than cdktf fails with the value found, and is left as found', () => {
    const { provider } = stackWith({ Project: 'bandup', Environment: 'dev', ManagedBy: 'console' });
    new TaggingAspect().visit(provider);
    expect(errorsOn(provider)).toEqual(['tagging: default tag ManagedBy must be "cdktf", got "console"']);
    expect(tagsOf(provider)?.ManagedBy).toBe('console');
  });

  it('changes nothing when every tag is present: the provider keeps the very same default_tags', () => {
    const complete = { Project: 'bandup', Environment: 'dev', Stack: 'bandup-dev-tiny', ManagedBy: 'cdktf' };
    const { provider } = stackWith(complete);
    const before = provider.defaultTags;
    new TaggingAspect().visit(provider);
    expect(provider.defaultTags).toBe(before);
  });

  it('only providers are tagged: visiting the stack or a resource changes nothing', () => {
    const { stack, provider } = stackWith({ Project: 'bandup', Environment: 'dev' });
    const aspect = new TaggingAspect();
    aspect.visit(stack);
    aspect.visit(new CloudwatchLogGroup(stack, 'logs', { name: 'x' }));
    expect(tagsOf(provider)).toEqual({ Project: 'bandup', Environment: 'dev' });
    expect(errorsOn(stack)).toEqual([]);
  });
});

describe('security Aspect: where a violation is reported', () => {
  const unencrypted = (scope: Construct, id: string) =>
    new CloudwatchLogGroup(scope, id, { name: id, retentionInDays: 14 });

  it('on the offending construct itself, however deep, with rule, address and path', () => {
    const { stack } = stackWith({ Project: 'bandup', Environment: 'dev' });
    const logs = unencrypted(new Construct(new Construct(stack, 'service'), 'logging'), 'audit');
    new SecurityPolicyAspect().visit(stack);
    const address = `aws_cloudwatch_log_group.${stack.getLogicalId(logs)}`;
    expect(errorsOn(logs)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^log-group-kms: ${address.replaceAll('.', '\\.')} \\(bandup-dev-tiny/service/logging/audit\\): `,
        ),
      ),
    ]);
    expect(errorsOn(stack)).toEqual([]);
  });

  it('every violating resource of a type is reported, not only the last one resolved', () => {
    const { stack } = stackWith({ Project: 'bandup', Environment: 'dev' });
    const first = unencrypted(stack, 'first');
    const second = unencrypted(stack, 'second');
    new SecurityPolicyAspect().visit(stack);
    expect(errorsOn(first)).toHaveLength(1);
    expect(errorsOn(second)).toHaveLength(1);
  });

  it('on the offending construct also when the stack itself sits below another construct', () => {
    const stack = new TerraformStack(new Construct(new App(), 'group'), 'nested');
    new AwsProvider(stack, 'aws', { defaultTags: [{ tags: { Project: 'bandup', Environment: 'dev' } }] });
    const logs = unencrypted(stack, 'plain');
    new SecurityPolicyAspect().visit(stack);
    expect(errorsOn(logs)).toEqual([expect.stringMatching(/^log-group-kms: .* \(group\/nested\/plain\): /)]);
    expect(errorsOn(stack)).toEqual([]);
  });

  it('only stacks are checked: visiting a resource reports nothing', () => {
    const { stack } = stackWith({ Project: 'bandup', Environment: 'dev' });
    const logs = unencrypted(stack, 'plain');
    new SecurityPolicyAspect().visit(logs);
    expect(errorsOn(logs)).toEqual([]);
  });

  it('a violation is reported once, however often its stack is visited', () => {
    const { stack } = stackWith({ Project: 'bandup', Environment: 'dev' });
    const logs = unencrypted(stack, 'plain');
    new SecurityPolicyAspect().visit(stack);
    new SecurityPolicyAspect().visit(stack);
    expect(errorsOn(logs)).toHaveLength(1);
  });
});

describe('internet-facing load balancer groups', () => {
  it('a group is one only once marked, and marking it again records one marker', () => {
    const { stack } = stackWith();
    const group = new SecurityGroup(stack, 'alb', { name: 'alb' });
    group.node.addMetadata('other', true);
    expect(isInternetFacingLoadBalancerGroup(group)).toBe(false);
    markInternetFacingLoadBalancerGroup(group);
    const marked = group.node.metadata.length;
    markInternetFacingLoadBalancerGroup(group);
    expect(isInternetFacingLoadBalancerGroup(group)).toBe(true);
    expect(group.node.metadata).toHaveLength(marked);
  });
});
