import { createHash } from 'node:crypto';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FlatConstruct } from '../src/constructs/flat-construct.js';
import { synthBareStack } from './bare-stack-fixture.js';
import type { Json } from './network-fixture.js';

const queueIds = (doc: Json) => Object.keys(doc.resource.aws_sqs_queue).sort();

describe('FlatConstruct: resources keep the logical ids they had in the stack', () => {
  it('a resource in a flat construct (also nested two deep) has the id it has as a child of the stack', () => {
    const direct = synthBareStack((stack) => {
      new SqsQueue(stack, 'jobs', {});
      const plain = new Construct(stack, 'dead-letters');
      new SqsQueue(plain, 'queue', {});
    });
    const grouped = synthBareStack((stack) => {
      const outer = new FlatConstruct(stack, 'queues');
      new SqsQueue(outer, 'jobs', {});
      const plain = new Construct(new FlatConstruct(outer, 'inner'), 'dead-letters');
      new SqsQueue(plain, 'queue', {});
    });
    // CDKTF's scheme: a top-level id as is; deeper ones `<ids joined by _>_<md5 of the path, 8 hex>`.
    const hash = createHash('md5').update('dead-letters/queue').digest('hex').slice(0, 8).toUpperCase();
    expect(queueIds(direct)).toEqual([`dead-letters_queue_${hash}`, 'jobs']);
    expect(queueIds(grouped)).toEqual(queueIds(direct));
    // The construct path (metadata only) still shows where the resource is defined.
    expect(grouped.resource.aws_sqs_queue.jobs['//'].metadata.path).toBe('bare/queues/jobs');
  });

  it('a plain construct still adds its id (only FlatConstruct is left out)', () => {
    const doc = synthBareStack((stack) => new SqsQueue(new Construct(stack, 'queues'), 'jobs', {}));
    expect(queueIds(doc)).toEqual([expect.stringMatching(/^queues_jobs_[0-9A-F]{8}$/)]);
  });

  it('two resources that would share an id fail synth naming both construct paths', () => {
    expect(() =>
      synthBareStack((stack) => {
        new SqsQueue(stack, 'jobs', {});
        new SqsQueue(new FlatConstruct(stack, 'queues'), 'jobs', {});
      }),
    ).toThrow(
      /logical id "jobs" is taken by bare\/jobs and bare\/queues\/jobs|bare\/queues\/jobs and bare\/jobs/,
    );
  });
});
