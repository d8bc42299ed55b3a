export { createLogger, createSilentLogger, type Logger, type LoggerOptions } from './create-logger.ts';
export { redactString, redactValue, REDACTED } from './redact.ts';
