import { afterEach } from 'vitest';

/** A fake server (`close`) or a client holding kept-alive sockets (`destroy`). */
type Closable = { close(): Promise<void> } | { destroy(): void };

/**
 * Registers an `afterEach` that closes everything passed to the returned function during the test:
 * `const opened = closedAfterEach(); const s3 = opened(await startFakeS3());`.
 */
export function closedAfterEach(): <T extends Closable>(thing: T) => T {
  let open: Closable[] = [];
  afterEach(async () => {
    const closing = open;
    open = [];
    await Promise.all(closing.map(async (thing) => ('close' in thing ? thing.close() : thing.destroy())));
  });
  return (thing) => {
    open.push(thing);
    return thing;
  };
}
