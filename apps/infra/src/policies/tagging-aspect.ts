import { AwsProvider, type AwsProviderDefaultTags } from '@cdktf/provider-aws/lib/provider/index.js';
import { Annotations, type IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Tagging: every taggable AWS resource gets `Project`, `Environment`, `Stack` and `ManagedBy=cdktf`
 * through its provider's `default_tags` (the AWS provider merges them into every resource that
 * supports tags). The Aspect makes sure each provider has them, filling in `Stack` and `ManagedBy`
 * where missing and failing synth when `Project` or `Environment` cannot be known. Idempotent:
 * re-running finds the tags present and changes nothing.
 */
export class TaggingAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof AwsProvider)) return;
    const stack = TerraformStack.of(node);
    const block = Array.isArray(node.defaultTags)
      ? (node.defaultTags as AwsProviderDefaultTags[])[0]
      : undefined;
    const current: Record<string, string> = { ...(block?.tags ?? {}) };
    const tags: Record<string, string> = {
      ...current,
      Stack: current.Stack ?? stack.node.id,
      ManagedBy: current.ManagedBy ?? 'cdktf',
    };
    if (tags.ManagedBy !== 'cdktf') {
      Annotations.of(node).addError(
        `tagging: default tag ManagedBy must be "cdktf", got "${tags.ManagedBy}"`,
      );
    }
    for (const key of ['Project', 'Environment'] as const) {
      if (!tags[key]) Annotations.of(node).addError(`tagging: provider default_tags lack the ${key} tag`);
    }
    // Only Stack and ManagedBy are ever filled in; a provider holds at most one default_tags block.
    if (tags.Stack !== current.Stack || tags.ManagedBy !== current.ManagedBy) node.defaultTags = [{ tags }];
  }
}
