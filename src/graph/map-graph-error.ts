import { AppError, type ErrorCode } from '../core/index.ts';
import { parseRetryAfter } from './parse-retry-after.ts';

export type HeaderBag = Headers | Record<string, string> | undefined;

export interface GraphErrorContext {
  method?: string;
  /** Request path (no query), for the message. */
  path?: string;
  /** The mailbox the request addressed, if any. */
  mailbox?: string;
  /** Roles (app-only) or scopes (delegated) of the token that was sent; tells a missing role from an access policy. */
  granted?: readonly string[];
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function envelope(body: unknown): { code?: string; message?: string; requestId?: string } {
  let value = body;
  if (typeof value === 'string') {
    try { value = JSON.parse(value); } catch { return {}; }
  }
  const error = (value as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> } } | null)?.error;
  if (!error || typeof error !== 'object') return {};
  const inner = error.innerError ?? error.innererror;
  return {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof inner?.['request-id'] === 'string' ? { requestId: inner['request-id'] } : {}),
  };
}

/** Which application permission a path needs, to name it when Graph says 403. */
export function roleFamilyForPath(path: string): { read: string[]; needed: string } | undefined {
  const p = path.toLowerCase();
  if (/^\/users\/[^/]+\/(messages|mailfolders|sendmail|mailboxsettings)/.test(p)) {
    // sendMail, and sending a draft by id (`…/messages/{id}/send`), need Mail.Send.
    return p.includes('/sendmail') || /\/messages\/[^/?]+\/send(\?|$)/.test(p) ? { read: ['Mail.Send'], needed: 'Mail.Send' } : { read: ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic', 'Mail.ReadBasic.All'], needed: 'Mail.ReadWrite' };
  }
  if (/^\/users\/[^/]+\/(events|calendar|calendars|calendarview)/.test(p)) return { read: ['Calendars.Read', 'Calendars.ReadWrite'], needed: 'Calendars.ReadWrite' };
  if (p.startsWith('/places')) return { read: ['Place.Read.All'], needed: 'Place.Read.All' };
  if (p.startsWith('/users')) return { read: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'], needed: 'User.Read.All' };
  return undefined;
}

const mailboxMissing = new Set(['mailboxnotenabledforrestapi', 'mailboxnotsupportedforrestapi', 'errorinvaliduser', 'errornonexistentmailbox']);
const syncGone = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid', 'errorinvalidsyncstatedata']);
const accessDenied = new Set(['erroraccessdenied', 'authorization_requestdenied', 'accessdenied']);

/**
 * Graph's error envelope → AppError, keeping Graph's code in details.graphCode and request-id for support cases.
 * Classifies by status and Graph's code (compared case-insensitively: Graph spells `syncStateNotFound` both ways),
 * never by message text. https://learn.microsoft.com/en-us/graph/errors
 */
export function mapGraphError(status: number, body: unknown, headers: HeaderBag, context: GraphErrorContext = {}): AppError {
  const { code: graphCode, message: graphMessage, requestId: innerRequestId } = envelope(body);
  const code = graphCode?.toLowerCase() ?? '';
  const where = context.path ? `${context.method ?? 'GET'} ${context.path}` : 'Graph request';
  const mailbox = context.mailbox;
  const requestId = header(headers, 'request-id') ?? innerRequestId;
  const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'));
  const details: Record<string, unknown> = {
    status, graphCode, graphMessage, requestId,
    ...(context.path ? { path: context.path } : {}), ...(mailbox ? { mailbox } : {}),
  };
  const make = (appCode: ErrorCode, message: string, hint: string | undefined, extra: Record<string, unknown> = {}): AppError =>
    new AppError(appCode, message, { details: { ...details, ...extra }, ...(hint ? { hint } : {}), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

  if (status === 429) {
    return make('GRAPH_THROTTLED', `${where}: Graph throttled the request (${graphCode ?? '429'})`, 'The job waits as Graph asked (Retry-After) and continues on its next run.');
  }
  if (status === 410 || syncGone.has(code)) {
    const location = header(headers, 'location');
    return make('GRAPH_SYNC_STATE_GONE', `${where}: the delta token is no longer valid (${graphCode ?? status}); a full resync is needed`,
      'Nothing to fix: the saved delta link is dropped and the folder is synchronised from the start.', location ? { location } : {});
  }
  if (status === 401) {
    return make('GRAPH_UNAUTHORIZED', `${where}: Graph rejected the access token (${graphCode ?? 401})`,
      'Check that the connection\'s scopes and graphBaseUrl belong to the same cloud, and that the token is for Microsoft Graph.');
  }
  if (status === 403 || accessDenied.has(code)) {
    const family = context.path ? roleFamilyForPath(context.path) : undefined;
    const granted = context.granted;
    if (granted !== undefined && granted.length === 0) {
      return make('GRAPH_ACCESS_DENIED', `${where}: the token carries no permissions, so admin consent is missing`,
        'An administrator must open App registrations > API permissions and choose "Grant admin consent".', { reason: 'consent' });
    }
    if (family && mailbox && granted?.some((role) => family.read.includes(role))) {
      return make('GRAPH_MAILBOX_ACCESS_POLICY', `${where}: the application holds ${family.read.filter((r) => granted.includes(r)).join(', ')} but may not open mailbox ${mailbox}; an application access policy keeps it out`,
        `Add ${mailbox} to the mail-enabled security group of the application access policy (New-ApplicationAccessPolicy / Test-ApplicationAccessPolicy in Exchange Online PowerShell).`,
        { reason: 'accessPolicy' });
    }
    return make('GRAPH_ACCESS_DENIED', `${where}: access denied (${graphCode ?? 403})${family ? `; the application needs ${family.needed}` : ''}`,
      family ? `Add the application permission ${family.needed} under App registrations > API permissions and grant admin consent.` : 'Check the application permissions and admin consent of the app registration.',
      family ? { reason: 'role', neededRole: family.needed } : { reason: 'unknown' });
  }
  if (mailboxMissing.has(code)) {
    return make('GRAPH_MAILBOX_NOT_ENABLED', `${where}: ${mailbox ? `mailbox ${mailbox}` : 'the mailbox'} does not exist or is not an Exchange Online mailbox (${graphCode})`,
      'Check the address; the user needs an Exchange Online licence and an active mailbox (not on-premises, not soft-deleted) for Graph to reach it.');
  }
  if (status === 404) {
    return make('GRAPH_NOT_FOUND', `${where}: not found (${graphCode ?? 404})`, undefined);
  }
  if (status === 400) {
    return make('GRAPH_BAD_REQUEST', `${where}: Graph rejected the request (${graphCode ?? 400}${graphMessage ? `: ${graphMessage}` : ''})`, undefined);
  }
  // Exchange cannot make MIME of some items (rights-protected / IRM, opaque-signed or encrypted S/MIME): `$value` answers
  // 500 with this code, the same on every attempt, while the item's properties read fine (EWS documents the code for
  // GetItem: https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode). Not an outage.
  if (code === 'errormimecontentconversionfailed') {
    return make('GRAPH_MIME_CONVERSION_FAILED', `${where}: Graph cannot convert the message to MIME (${graphCode})`,
      'Rights-protected or encrypted mail: it is processed from its sender, subject and date (the default rule set makes a ticket that says it could not be read).');
  }
  if (status === 503 || status === 502 || status === 500) {
    return make('GRAPH_UNAVAILABLE', `${where}: Graph answered ${status} (${graphCode ?? 'no code'})`, 'A passing fault at Microsoft; the job retries on its next run.');
  }
  if (status === 504) {
    return make('GRAPH_TIMEOUT', `${where}: Graph answered 504 Gateway Timeout`, 'Large pages time out: use $select and a smaller $top; the job retries on its next run.');
  }
  return make('GRAPH_ERROR', `${where}: Graph answered ${status} (${graphCode ?? 'no code'})`, undefined);
}
