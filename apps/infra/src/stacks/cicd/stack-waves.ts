import type { TerraformStack } from 'cdktf';

/**
 * Groups stacks into waves: a stack's wave comes after the waves of every stack it depends on
 * (CDKTF records a dependency for each cross-stack reference, the same graph as the synthesized
 * manifest's `dependencies`). Stacks of one wave do not depend on each other. Dependencies on
 * stacks outside `stacks` are ignored (they are applied elsewhere). Fails on a cycle.
 */
export function dependencyWaves<T>(
  stacks: readonly T[],
  dependencies: (stack: T) => readonly T[],
  name: (stack: T) => string,
): T[][] {
  const members = new Set(stacks);
  const level = new Map<T, number>();
  const visiting = new Set<T>();
  const levelOf = (stack: T): number => {
    const known = level.get(stack);
    if (known !== undefined) return known;
    if (visiting.has(stack)) throw new Error(`stack dependency cycle through ${name(stack)}`);
    visiting.add(stack);
    const deps = dependencies(stack).filter((d) => members.has(d));
    const result = deps.length === 0 ? 0 : Math.max(...deps.map(levelOf)) + 1;
    visiting.delete(stack);
    level.set(stack, result);
    return result;
  };
  const waves: T[][] = [];
  for (const stack of stacks) {
    const l = levelOf(stack);
    while (waves.length <= l) waves.push([]);
    (waves[l] as T[]).push(stack);
  }
  return waves;
}

/** Waves of real stacks, from the dependencies CDKTF recorded for their cross-stack references. */
export function stackWaves(stacks: readonly TerraformStack[]): TerraformStack[][] {
  return dependencyWaves(
    stacks,
    (s) => s.dependencies,
    (s) => s.node.id,
  );
}
