import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PermanentJobError } from '../runtime/errors.js';
import type { ParsedDocument } from './parsed-document.js';
import type { DocumentLimits } from './rag-config.js';

/** What the parse may cost before the document is refused as too complex. */
export interface PdfParseBudget {
  /** Wall-clock time for the whole parse. */
  readonly timeoutMs: number;
  /** V8 old-generation heap of the parsing thread (`resourceLimits.maxOldGenerationSizeMb`). */
  readonly maxHeapMb: number;
  /**
   * Growth of the process's resident memory while parsing. Decompressed PDF streams live in
   * ArrayBuffers, outside the V8 heap limit, so the resident size is watched as well.
   */
  readonly maxRssGrowthMb: number;
}

const TASK = 'bandup-parse-pdf';
/** How often the resident memory is sampled while a parse runs. */
const RSS_SAMPLE_MS = 20;

interface WorkerInput {
  readonly task: typeof TASK;
  readonly bytes: Uint8Array;
  readonly limits: DocumentLimits;
}

type WorkerAnswer =
  | { readonly ok: true; readonly document: ParsedDocument }
  | {
      readonly ok: false;
      readonly code?: PermanentJobError['code'];
      readonly message: string;
      readonly details?: Record<string, unknown>;
    };

/**
 * Parses a PDF in a worker thread under explicit budgets: heap (`resourceLimits`), resident memory
 * growth and wall time. A document that exceeds one is refused at once with `DOCUMENT_TOO_COMPLEX`
 * and a reason a learner can act on; the thread is terminated, which frees everything it held, so a
 * PDF bomb costs one bounded attempt instead of an out-of-memory crash or a function timeout (and
 * three more of each on redelivery). Errors the parser itself raises keep their codes
 * (`DOCUMENT_UNREADABLE`, `DOCUMENT_TOO_LARGE`, `DOCUMENT_EMPTY`, `DOCUMENT_TOO_COMPLEX`).
 *
 * The thread runs this very module (its bundle chunk in Lambda, the TypeScript source through tsx
 * in tests), so no separate entry file has to be bundled.
 */
export function parsePdfBounded(
  bytes: Uint8Array,
  limits: DocumentLimits,
  budget: PdfParseBudget,
): Promise<ParsedDocument> {
  const source = new URL(import.meta.url);
  const worker = new Worker(source, {
    workerData: { task: TASK, bytes, limits } satisfies WorkerInput,
    resourceLimits: { maxOldGenerationSizeMb: budget.maxHeapMb, maxYoungGenerationSizeMb: 32 },
    execArgv: source.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdout: false,
    stderr: false,
  });
  const baselineRss = process.memoryUsage.rss();
  return new Promise<ParsedDocument>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(sampler);
      void worker.terminate();
      outcome();
    };
    const tooComplex = (what: string, details: Record<string, unknown>) =>
      finish(() =>
        reject(
          new PermanentJobError(
            'DOCUMENT_TOO_COMPLEX',
            `The PDF is too complex to read (${what}); export it again as a plain PDF (for example "Print to PDF") or upload its text`,
            details,
          ),
        ),
      );
    const timer = setTimeout(
      () =>
        tooComplex(`it needs more than ${Math.round(budget.timeoutMs / 1000)} s to read`, {
          timeoutMs: budget.timeoutMs,
        }),
      budget.timeoutMs,
    );
    const sampler = setInterval(() => {
      const growthMb = (process.memoryUsage.rss() - baselineRss) / 1024 / 1024;
      if (growthMb > budget.maxRssGrowthMb) {
        tooComplex(`it expands to more than ${budget.maxRssGrowthMb} MB in memory`, {
          maxRssGrowthMb: budget.maxRssGrowthMb,
        });
      }
    }, RSS_SAMPLE_MS);
    worker.once('message', (answer: WorkerAnswer) => {
      if (answer.ok) finish(() => resolve(answer.document));
      else if (answer.code) {
        const { code, message, details } = answer;
        finish(() => reject(new PermanentJobError(code, message, details)));
      } else {
        const message = answer.message;
        finish(() => reject(new Error(`PDF parsing thread failed: ${message}`)));
      }
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        tooComplex(`it needs more than ${budget.maxHeapMb} MB of memory to read`, {
          maxHeapMb: budget.maxHeapMb,
        });
      } else {
        finish(() => reject(error));
      }
    });
    worker.once('exit', (code) => {
      finish(() => reject(new Error(`PDF parsing thread exited (code ${code}) without an answer`)));
    });
  });
}

/** Inside the parsing thread: parse, answer once, exit. */
async function runInThread(input: WorkerInput): Promise<void> {
  try {
    const { parsePdf } = await import('./parse-pdf.js');
    const document = await parsePdf(input.bytes, input.limits);
    parentPort?.postMessage({ ok: true, document } satisfies WorkerAnswer);
  } catch (error) {
    const answer: WorkerAnswer =
      error instanceof PermanentJobError
        ? {
            ok: false,
            code: error.code,
            message: error.message,
            ...(error.details ? { details: { ...error.details } } : {}),
          }
        : { ok: false, message: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(answer);
  }
}

if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.task === TASK) {
  void runInThread(workerData as WorkerInput);
}
