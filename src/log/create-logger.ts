import { createLogger as createWinston, format, transports, type Logger } from 'winston';
import type { Writable } from 'node:stream';
import { redactValue } from './redact.ts';

export type { Logger } from 'winston';

export interface LoggerOptions {
  level?: string;
  /** json: one JSON object a line (machines, files); pretty: readable lines (a person at a terminal). */
  format?: 'json' | 'pretty';
  /** Defaults to stderr, so stdout stays clean for command output and --json. */
  stream?: Writable;
  /** Exact secret values known at start (resolved client secrets); masked wherever they appear. */
  knownSecrets?: readonly string[];
}

// Redaction runs on the whole record (message, metadata, error causes) before any formatter sees it.
const redaction = format((info, opts: unknown) => {
  const known = (opts as { knownSecrets?: readonly string[] } | undefined)?.knownSecrets ?? [];
  const clean = redactValue({ ...info }, known) as Record<string, unknown>;
  for (const key of Object.keys(clean)) info[key] = clean[key];
  return info;
});

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const pretty = format.printf((info) => {
    const { level, message, timestamp, ...meta } = info;
    const rest = Object.keys(meta).length === 0 ? '' : ` ${JSON.stringify(meta)}`;
    return `${String(timestamp)} ${level} ${String(message)}${rest}`;
  });
  return createWinston({
    level: options.level ?? 'info',
    format: format.combine(
      redaction({ knownSecrets: options.knownSecrets ?? [] }),
      format.timestamp(),
      options.format === 'pretty' ? format.combine(format.colorize(), pretty) : format.json(),
    ),
    transports: [new transports.Stream({ stream })],
  });
}

/** A logger that drops everything, for library callers and tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return createWinston({ silent: true, transports: [new transports.Console({ silent: true })] });
}
