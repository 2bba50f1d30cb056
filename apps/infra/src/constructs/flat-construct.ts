import { Construct, type IConstruct } from 'constructs';

const flatScopes = new WeakSet<IConstruct>();

/**
 * A construct that groups resources without becoming part of their Terraform logical ids: a
 * resource created in it (or in a construct nested in it) gets the id it would get if its parent
 * were the stack. CDKTF derives a logical id from the construct path, and Terraform replaces a
 * resource whose id changes; so wiring that moves out of a stack into a named construct keeps every
 * address, with no `moved` block. The construct path (the `//` metadata) still shows the grouping.
 * The stack refuses two resources that end up with the same id (see `BandupStack`).
 */
export class FlatConstruct extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    flatScopes.add(this);
  }
}

/** Whether `scope` is left out of its descendants' logical ids. */
export function isFlatScope(scope: IConstruct): boolean {
  return flatScopes.has(scope);
}
