import type { ErrorCode } from '../core/index.ts';

/** The HTTP status for each error code an API answer can carry; anything not listed is a 500. */
const statusByCode: Partial<Record<ErrorCode, number>> = {
  API_REQUEST_INVALID: 400,
  USAGE: 400,
  CONFIG_INVALID: 400,
  SIGN_IN_FAILED: 400,
  API_UNAUTHORIZED: 401,
  API_FORBIDDEN: 403,
  API_CSRF_INVALID: 403,
  SIGN_IN_DENIED: 403,
  API_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  JOB_RUN_NOT_FOUND: 404,
  NOTIFY_NOT_SUPPRESSED: 404,
  API_CONFLICT: 409,
  JOB_BUSY: 409,
  MAIL_NOT_QUARANTINED: 409,
  STORE_DUPLICATE_KEY: 409,
  API_RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  GRAPH_THROTTLED: 503,
  GRAPH_UNAVAILABLE: 502,
  GRAPH_TIMEOUT: 504,
  GRAPH_ERROR: 502,
  AUTH_AUTHORITY_UNREACHABLE: 502,
};

export function statusForCode(code: ErrorCode): number {
  return statusByCode[code] ?? 500;
}
