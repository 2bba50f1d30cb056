import { assessWriting } from '../assess/assess-writing.js';
import type { ChatModel } from '../clients/chat-model.js';
import type { JobWorker } from '../runtime/job-worker.js';

export interface WritingWorkerDeps {
  readonly model: ChatModel;
}

/**
 * The `writing` job: assesses the essay with the examiner model and succeeds with the computed
 * result. Invalid model output fails the job (`MODEL_OUTPUT_INVALID`, raw answer kept); Bedrock
 * errors propagate for the runner to retry or fail.
 */
export function createWritingWorker(deps: WritingWorkerDeps): JobWorker<'writing'> {
  return async (message, context) => {
    const { result, model, repaired } = await assessWriting(message.payload, deps.model);
    context.logger.info('Writing assessed', {
      taskType: result.taskType,
      taskBand: result.taskBand,
      wordCount: result.wordCount,
      underLength: result.underLength,
      droppedExamples: result.droppedExamples,
      repaired,
      model,
    });
    return { type: 'succeeded', result, model };
  };
}
