import { TerraformElement } from 'cdktf';
import { Construct, type IConstruct, type Node } from 'constructs';

const STACK_PART = Symbol.for('bandup.StackPart');

/**
 * A named part of a stack (its API, its alarms, a route): it groups resources so the stack reads
 * as a list of parts, but is left out of their Terraform addresses. A resource keeps the address
 * it had when it was created in the stack directly, so grouping never replaces anything. The
 * stack must allocate logical ids with `logicalIdWithoutParts`.
 */
export class StackPart extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, STACK_PART, { value: true });
  }

  static isStackPart(x: unknown): x is StackPart {
    return typeof x === 'object' && x !== null && STACK_PART in x;
  }
}

/**
 * The logical id of `element` as if no StackPart were on its path. `allocate` is the stack's own
 * allocation (CDKTF derives the id from a node's scopes); `claimed` maps each id handed out to the
 * path it was handed to, so two parts giving resources the same id fail synth instead of merging
 * into one Terraform resource.
 */
export function logicalIdWithoutParts(
  element: TerraformElement | Node,
  allocate: (node: Node) => string,
  claimed: Map<string, string>,
): string {
  const node = TerraformElement.isTerraformElement(element) ? element.node : element;
  // CDKTF's allocation reads only a node's scopes (their ids, after the stack).
  const scopes: readonly IConstruct[] = node.scopes.filter(
    (scope: IConstruct) => !StackPart.isStackPart(scope),
  );
  const id = allocate({ scopes } as unknown as Node);
  const owner = claimed.get(id);
  if (owner !== undefined && owner !== node.path) {
    throw new Error(`Logical id "${id}" of ${node.path} is already used by ${owner}: rename one of them`);
  }
  claimed.set(id, node.path);
  return id;
}
