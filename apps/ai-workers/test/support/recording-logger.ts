import type { Logger } from '@aws-lambda-powertools/logger';

/** One line a `recordingLogger` kept. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown>;
  /** The persistent keys of the (child) logger that wrote the line. */
  readonly keys: Record<string, unknown>;
}

/** A logger that keeps its lines, its children's included (code under test logs through them). */
export function recordingLogger(lines: LogLine[], keys: Record<string, unknown> = {}): Logger {
  const at =
    (level: LogLine['level']) =>
    (message: string, extra: Record<string, unknown> = {}) => {
      lines.push({ level, message, extra, keys });
    };
  return {
    debug: () => {},
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    createChild: (options?: { persistentKeys?: Record<string, unknown> }) =>
      recordingLogger(lines, { ...keys, ...options?.persistentKeys }),
  } as unknown as Logger;
}
