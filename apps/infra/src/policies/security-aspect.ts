import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import {
  Annotations,
  DefaultTokenResolver,
  type IAspect,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { isInternetFacingLoadBalancerGroup } from './internet-ingress.js';
import { CHECKED_RESOURCE_TYPES, checkStack } from './security-rules.js';

/**
 * Fails synth on security rule violations (security-rules.ts). Runs once per stack on the stack's
 * resolved Terraform JSON (after CDKTF has wired cross-stack references and lazy policies), and
 * reports each violation as an error annotation on the offending construct: `cdktf synth` and
 * `app.synth()` then fail with `[<construct path>] <rule>: <message>`.
 * Idempotent: a violation is reported once, however often the stack is checked (the Aspect applied
 * twice, the app synthesized twice).
 */
export class SecurityPolicyAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const stack = node;
    const json = { resource: resolvedResources(stack) };
    const loadBalancerGroups = new Set(
      stack.node
        .findAll()
        .filter((c): c is SecurityGroup => c instanceof SecurityGroup && isInternetFacingLoadBalancerGroup(c))
        .map((c) => stack.getLogicalId(c)),
    );
    for (const v of checkStack(json, { loadBalancerGroups })) {
      const [type, id] = v.address.split(/\.(.*)/s) as [string, string];
      const meta = json.resource[type]?.[id] as { '//'?: { metadata?: { path?: string } } } | undefined;
      // Stryker disable next-line OptionalChaining: each violation names a resource of `json`, whose path CDKTF always records
      const path = meta?.['//']?.metadata?.path;
      // The construct whose path CDKTF recorded (wherever the stack itself sits in the tree).
      const target = stack.node.findAll().find((c) => c.node.path === path) ?? stack;
      const message = `${v.rule}: ${v.address} (${path ?? v.address}): ${v.message}`;
      // Idempotent across Aspect instances and repeated synths: one error per violation.
      if (!target.node.metadata.some((m) => m.data === message)) Annotations.of(target).addError(message);
    }
  }
}

/**
 * The stack's resources of the checked types, with every token resolved as in the synthesized JSON
 * (references as `${type.id.attr}`, lazy policies rendered). Cross-stack references are already
 * wired (CDKTF prepares every stack before invoking Aspects). Only checked types are resolved:
 * resolving the whole stack would add a second full synth pass.
 */
function resolvedResources(stack: TerraformStack): Record<string, Record<string, unknown>> {
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resources: Record<string, Record<string, unknown>> = {};
  for (const c of stack.node.findAll()) {
    // Stryker disable next-line LogicalOperator: resolving unchecked types too only costs time (the rules skip them)
    if (!(c instanceof TerraformResource) || !CHECKED_RESOURCE_TYPES.has(c.terraformResourceType)) continue;
    const fragment = Tokenization.resolve(c.toTerraform(), { scope: stack, resolver }) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    for (const [type, byId] of Object.entries(fragment.resource ?? {})) {
      resources[type] = { ...resources[type], ...byId };
    }
  }
  return resources;
}
