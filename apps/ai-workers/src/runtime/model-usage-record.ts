import type { ModelUsage as ModelUsageRecord } from '@bandup/shared';
import type { ModelMetadata } from './job-worker.js';

/**
 * A run's model metadata and the `model` record on a job result carry the same facts in two shapes:
 * the runner's (tokens under `usage`, recorded on the job item) and the published one
 * (`ModelUsageSchema`, tokens flat). These are the only conversions between them and the only place
 * runs are added up, so a new field is added once.
 */
export function toModelUsageRecord(model: ModelMetadata): ModelUsageRecord {
  return {
    modelId: model.modelId,
    inputTokens: model.usage.inputTokens,
    outputTokens: model.usage.outputTokens,
    latencyMs: model.latencyMs,
    calls: model.calls,
  };
}

/** The runner's model metadata of a result's `model` record. */
export function fromModelUsageRecord(record: ModelUsageRecord): ModelMetadata {
  return {
    modelId: record.modelId,
    usage: { inputTokens: record.inputTokens, outputTokens: record.outputTokens },
    latencyMs: record.latencyMs,
    calls: record.calls,
  };
}

/** Several runs as one: tokens, latency and calls summed, under the first run's model id. */
export function sumModelRuns(runs: readonly ModelMetadata[], modelIdWhenNone: string): ModelMetadata {
  return {
    modelId: runs[0]?.modelId ?? modelIdWhenNone,
    usage: {
      inputTokens: runs.reduce((sum, run) => sum + run.usage.inputTokens, 0),
      outputTokens: runs.reduce((sum, run) => sum + run.usage.outputTokens, 0),
    },
    latencyMs: runs.reduce((sum, run) => sum + run.latencyMs, 0),
    calls: runs.reduce((sum, run) => sum + run.calls, 0),
  };
}
