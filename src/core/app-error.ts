import { errorCodes, type ErrorCode, type RetryClass } from './error-codes.ts';

export interface AppErrorOptions {
  cause?: unknown;
  /** Structured facts for logs, job results and --json output. Never put secrets here. */
  details?: Record<string, unknown>;
  /** One sentence telling the user what to do about it. */
  hint?: string;
  /** Overrides the code's default retry class (e.g. a store error known to be permanent). */
  retry?: RetryClass;
  /** When the service said how long to wait (Retry-After). */
  retryAfterMs?: number;
}

/** The one error type that crosses module boundaries. Classify by `code`, never by message text. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retry: RetryClass;
  readonly details: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retry = options.retry ?? errorCodes[code].retry;
    this.details = Object.freeze({ ...options.details });
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
  }

  get exitCode(): 1 | 2 {
    return errorCodes[this.code].exit;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retry: this.retry,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** Wraps anything thrown by code we do not own into an AppError, keeping AppErrors as they are. */
export function toAppError(error: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}
