export { AppError, isAppError, toAppError, type AppErrorOptions } from './app-error.ts';
export { errorCodes, type ErrorCode, type RetryClass } from './error-codes.ts';
export { systemClock, type Clock } from './clock.ts';
export { parseDuration } from './durations.ts';
