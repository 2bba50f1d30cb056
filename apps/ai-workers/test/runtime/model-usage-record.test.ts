import { ModelUsageSchema } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/runtime/job-worker.js';
import {
  fromModelUsageRecord,
  sumModelRuns,
  toModelUsageRecord,
} from '../../src/runtime/model-usage-record.js';

const run = (
  modelId: string,
  input: number,
  output: number,
  latencyMs: number,
  calls: number,
): ModelMetadata => ({
  modelId,
  usage: { inputTokens: input, outputTokens: output },
  latencyMs,
  calls,
});

describe('model usage record', () => {
  it('flattens a run into a record the published schema accepts, and back without loss', () => {
    const model = run('google.gemma-3-12b-it', 1200, 340, 2150, 2);
    const record = toModelUsageRecord(model);
    expect(ModelUsageSchema.parse(record)).toEqual({
      modelId: 'google.gemma-3-12b-it',
      inputTokens: 1200,
      outputTokens: 340,
      latencyMs: 2150,
      calls: 2,
    });
    expect(fromModelUsageRecord(record)).toEqual(model);
  });

  it('sums tokens, latency and calls of several runs under the first run model id', () => {
    expect(
      sumModelRuns([run('a', 10, 1, 100, 1), run('b', 20, 2, 200, 2), run('c', 30, 3, 300, 1)], 'x'),
    ).toEqual(run('a', 60, 6, 600, 4));
  });

  it('no runs: zero usage under the given model id', () => {
    expect(sumModelRuns([], 'amazon.nova-lite')).toEqual(run('amazon.nova-lite', 0, 0, 0, 0));
  });
});
