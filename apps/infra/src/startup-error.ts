/**
 * A mistake in how the app was started (an unknown `BANDUP_ENV`, a bad `BANDUP_BOOTSTRAP_BACKEND`,
 * malformed CDKTF context): the entry point prints its message alone, without a stack trace,
 * because the fix is in the caller's command line, not in the code.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
