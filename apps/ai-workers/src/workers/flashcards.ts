import { extensionForContentType, feedbackLanguageOf, parseUploadKey, UPLOAD_LIMITS } from '@bandup/shared';
import type { S3Objects } from '../clients/s3-objects.js';
import { type FlashcardPipelineDeps, runFlashcardPipeline } from '../rag/flashcard-pipeline.js';
import { PermanentJobError } from '../runtime/errors.js';
import type { JobWorker } from '../runtime/job-worker.js';
import { fromModelUsageRecord } from '../runtime/model-usage-record.js';
import { headUpload, readCheckedUpload } from './checked-upload.js';

export interface FlashcardsWorkerDeps {
  readonly s3: S3Objects;
  /** The AI data bucket: documents are read from `uploads/documents/`, embeddings cached in it. */
  readonly dataBucket: string;
  /** Everything the RAG pipeline needs except the logger (the job's logger is used). */
  readonly pipeline: Omit<FlashcardPipelineDeps, 'logger'>;
}

/**
 * The `flashcards` job: checks the uploaded document (exists, allowed type matching its key, within
 * the size limit) before reading it, runs the RAG pipeline and succeeds with cited cards. Document
 * problems fail the job at once with their code; Bedrock or S3 errors propagate for the runner to
 * retry (throttling, 5xx) or fail.
 */
export function createFlashcardsWorker(deps: FlashcardsWorkerDeps): JobWorker<'flashcards'> {
  return async (message, context) => {
    const { documentKey, count, difficulty, cardTypes, topicHint } = message.payload;
    const language = feedbackLanguageOf(message.payload);
    const maxBytes = Math.min(UPLOAD_LIMITS.documents.maxBytes, deps.pipeline.config.limits.maxBytes);

    const head = await headUpload(deps.s3, deps.dataBucket, {
      key: documentKey,
      noun: 'document',
      field: 'documentKey',
    });
    const contentType = head.mediaType;
    const extension = extensionForContentType('documents', contentType);
    const keyExtension = parseUploadKey('documents', documentKey)?.extension;
    if (!extension || extension !== keyExtension) {
      throw new PermanentJobError(
        'UNSUPPORTED_MEDIA',
        extension
          ? `The document is stored as "${contentType}" but its key ends in ".${keyExtension}"; expected ".${extension}"`
          : `The document's content type "${contentType || '(none)'}" is not allowed; use one of ${Object.keys(UPLOAD_LIMITS.documents.contentTypes).join(', ')}`,
        { documentKey, contentType },
      );
    }
    const size = head.contentLength;
    if (size > maxBytes) {
      throw new PermanentJobError(
        'DOCUMENT_TOO_LARGE',
        `The document is ${size} bytes; the limit is ${maxBytes} bytes`,
        { documentKey, bytes: size, maxBytes },
      );
    }

    const body = await readCheckedUpload(deps.s3, deps.dataBucket, documentKey, head);
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);

    const { result, diagnostics } = await runFlashcardPipeline(
      { ...deps.pipeline, logger: context.logger },
      { bytes, key: documentKey, contentType },
      { count, difficulty, cardTypes, language, ...(topicHint ? { topicHint } : {}) },
    );
    context.logger.info('Flashcards generated', {
      cards: result.cards.length,
      requested: result.requestedCount,
      shortfallReason: result.shortfallReason,
      queryMode: result.retrieval.queryMode,
      fallbackReason: result.retrieval.fallbackReason,
      embeddingCacheHit: result.embedding.cacheHit,
      chunksEmbedded: result.embedding.chunksEmbedded,
      document: diagnostics.document,
      rejected: diagnostics.generation.rejected,
      rounds: diagnostics.generation.rounds,
      perQuery: diagnostics.perQuery,
      timings: result.timings,
    });
    return {
      type: 'succeeded',
      result,
      model: fromModelUsageRecord(result.model),
    };
  };
}
