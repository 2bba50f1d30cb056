import { DeadlineExceededError } from './errors.js';

/**
 * Time kept back from the invocation's remaining time: enough to record the retryable failure on
 * the job (one conditional write) and answer the batch before Lambda kills the function.
 */
const DEADLINE_MARGIN_MS = 5_000;

/**
 * `work`, unless it is still running when only `marginMs` of the invocation is left: then a
 * `DeadlineExceededError` (retryable, recorded as `DEADLINE_EXCEEDED`). A killed invocation records
 * nothing and its message would just reappear after the visibility timeout; this way the job says
 * why, and the dead-letter function can name the cause if every attempt runs out of time.
 */
export async function beforeDeadline<T>(
  work: Promise<T>,
  remainingMs: number,
  marginMs: number = DEADLINE_MARGIN_MS,
): Promise<T> {
  // The abandoned work may still fail later; that must not become an unhandled rejection.
  work.catch(() => undefined);
  const budgetMs = remainingMs - marginMs;
  const exceeded = () =>
    new DeadlineExceededError(
      `The run did not finish with ${Math.round(marginMs / 1000)} s of its function time left; it will be retried`,
    );
  if (budgetMs <= 0) throw exceeded();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(exceeded()), budgetMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
