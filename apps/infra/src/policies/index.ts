import { Aspects, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { SecurityPolicyAspect } from './security-aspect.js';
import { TaggingAspect } from './tagging-aspect.js';

export { markInternetFacingLoadBalancerGroup } from './internet-ingress.js';

/**
 * Applies the tagging and security Aspects to every stack under `scope` (call it after all stacks
 * exist, as `buildApp` does). Added per stack, not on the App: CDKTF invokes Aspects from each
 * stack downwards, so Aspects added to the App itself would never run.
 */
export function applyPolicies(scope: IConstruct): void {
  const stacks = scope.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
  for (const stack of stacks) {
    Aspects.of(stack).add(new TaggingAspect());
    Aspects.of(stack).add(new SecurityPolicyAspect());
  }
}
