import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { Annotations, type IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isInternetFacingLoadBalancerGroup } from './internet-ingress.js';
import { checkStack } from './security-rules.js';

/**
 * Fails synth on security rule violations (security-rules.ts). Runs once per stack on the stack's
 * resolved Terraform JSON (after CDKTF has wired cross-stack references and lazy policies), and
 * reports each violation as an error annotation on the offending construct: `cdktf synth` and
 * `app.synth()` then fail with `[<construct path>] <rule>: <message>`.
 * Idempotent: a stack is checked once per Aspect instance, and a violation is reported once.
 */
export class SecurityPolicyAspect implements IAspect {
  private readonly checked = new WeakSet<TerraformStack>();

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.checked.has(node)) return;
    this.checked.add(node);
    const stack = node;
    // toTerraform() returns the stack's JSON with every token resolved (references as `${...}`).
    const json = stack.toTerraform();
    const loadBalancerGroups = new Set(
      stack.node
        .findAll()
        .filter((c): c is SecurityGroup => c instanceof SecurityGroup && isInternetFacingLoadBalancerGroup(c))
        .map((c) => stack.getLogicalId(c)),
    );
    for (const v of checkStack(json, { loadBalancerGroups })) {
      const [type, id] = v.address.split(/\.(.*)/s) as [string, string];
      const path: string | undefined = json.resource?.[type]?.[id]?.['//']?.metadata?.path;
      const target = (path && findByPath(stack, path)) || stack;
      const message = `${v.rule}: ${v.address} (${path ?? v.address}): ${v.message}`;
      // Idempotent across Aspect instances and repeated synths: one error per violation.
      if (!target.node.metadata.some((m) => m.data === message)) Annotations.of(target).addError(message);
    }
  }
}

function findByPath(stack: TerraformStack, path: string): IConstruct | undefined {
  const parts = path.split('/').slice(1); // the first part is the stack id
  let current: IConstruct = stack;
  for (const part of parts) {
    const next = current.node.tryFindChild(part);
    if (!next) return undefined;
    current = next;
  }
  return current;
}
