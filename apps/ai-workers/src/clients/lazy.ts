/**
 * Loads something on first use and keeps it: for clients and modules that only some invocations
 * need, so a cold start does not pay for them. A failed load is forgotten, so the next call retries.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
