import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { App, type TerraformElement, TerraformStack, Testing } from 'cdktf';
import { Construct, type Node } from 'constructs';
import { describe, expect, it } from 'vitest';
import { logicalIdWithoutParts, StackPart } from '../src/constructs/stack-part.js';

/** A stack allocating ids as the AI and CI/CD stacks do. */
class PartedStack extends TerraformStack {
  private readonly claimed = new Map<string, string>();
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    return logicalIdWithoutParts(element, (node) => super.allocateLogicalId(node), this.claimed);
  }
}

class Queues extends StackPart {
  constructor(scope: Construct, id: string, names: readonly string[]) {
    super(scope, id);
    for (const name of names) new SqsQueue(this, name, { name });
  }
}

const addresses = (stack: TerraformStack): string[] =>
  Object.keys(
    (JSON.parse(Testing.synth(stack)) as { resource: { aws_sqs_queue: object } }).resource.aws_sqs_queue,
  );

describe('StackPart', () => {
  it("leaves its id out of its resources' addresses, at any depth", () => {
    const parted = new PartedStack(new App(), 's');
    new Queues(parted, 'queues', ['a']);
    new Queues(new Queues(parted, 'outer', []), 'inner', ['b']);
    expect(addresses(parted)).toEqual(['a', 'b']);

    // In a stack allocating ids the CDKTF way, a part is an ordinary construct: its id counts.
    const plain = new TerraformStack(new App(), 's');
    new Queues(plain, 'queues', ['a']);
    expect(addresses(plain)).toEqual([expect.stringMatching(/^queues_a_[0-9A-F]{8}$/)]);
  });

  it('keeps the hashed address a resource in an ordinary construct had directly in the stack', () => {
    const before = new TerraformStack(new App(), 's');
    new SqsQueue(new Construct(before, 'group'), 'q', { name: 'q' });
    const after = new PartedStack(new App(), 's');
    new SqsQueue(new Construct(new Queues(after, 'part', []), 'group'), 'q', { name: 'q' });
    expect(addresses(after)).toEqual(addresses(before));
    expect(addresses(after)).toEqual([expect.stringMatching(/^group_q_[0-9A-F]{8}$/)]);
  });

  it('fails synth when two parts would give resources the same address', () => {
    const stack = new PartedStack(new App(), 's');
    new Queues(stack, 'one', ['same']);
    new Queues(stack, 'two', ['same']);
    expect(() => Testing.synth(stack)).toThrow(
      'Logical id "same" of s/two/same is already used by s/one/same: rename one of them',
    );
  });
});
