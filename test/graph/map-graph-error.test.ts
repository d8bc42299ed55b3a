import test from 'ava';
import type { ErrorCode } from '../../src/core/index.ts';
import { mapGraphError } from '../../src/graph/index.ts';

const body = (code: string, message = 'm') => JSON.stringify({ error: { code, message, innerError: { 'request-id': 'rid-inner', date: '2025-01-01T00:00:00' } } });

test('Graph errors map to AppError codes by status and Graph code, keeping the Graph code and request id', (t) => {
  const table: [number, string, ErrorCode, RegExp][] = [
    [429, 'ApplicationThrottled', 'GRAPH_THROTTLED', /throttled/],
    [410, 'SyncStateNotFound', 'GRAPH_SYNC_STATE_GONE', /full resync/],
    [400, 'syncStateNotFound', 'GRAPH_SYNC_STATE_GONE', /full resync/],
    [400, 'resyncRequired', 'GRAPH_SYNC_STATE_GONE', /full resync/],
    [401, 'InvalidAuthenticationToken', 'GRAPH_UNAUTHORIZED', /rejected the access token/],
    [404, 'MailboxNotEnabledForRESTAPI', 'GRAPH_MAILBOX_NOT_ENABLED', /not an Exchange Online mailbox/],
    [404, 'ErrorInvalidUser', 'GRAPH_MAILBOX_NOT_ENABLED', /does not exist/],
    [404, 'ErrorItemNotFound', 'GRAPH_NOT_FOUND', /not found/],
    [400, 'ErrorInvalidIdMalformed', 'GRAPH_BAD_REQUEST', /ErrorInvalidIdMalformed/],
    [503, 'ServiceUnavailable', 'GRAPH_UNAVAILABLE', /503/],
    [500, 'ErrorMimeContentConversionFailed', 'GRAPH_MIME_CONVERSION_FAILED', /cannot convert the message to MIME/],
    [500, 'InternalServerError', 'GRAPH_UNAVAILABLE', /500/],
    [504, 'GatewayTimeout', 'GRAPH_TIMEOUT', /504/],
    [418, 'Teapot', 'GRAPH_ERROR', /418/],
  ];
  for (const [status, graphCode, code, message] of table) {
    const error = mapGraphError(status, body(graphCode), { 'request-id': 'rid-header' }, { method: 'GET', path: '/users/a@b.example/messages', mailbox: 'a@b.example' });
    t.is(error.code, code, graphCode);
    t.regex(error.message, message, graphCode);
    t.is(error.details.graphCode, graphCode);
    t.is(error.details.requestId, 'rid-header');
  }
});

test('Retry-After reaches the error; request id falls back to the envelope; a non-JSON body still maps', (t) => {
  const throttled = mapGraphError(429, body('TooManyRequests'), new Headers({ 'Retry-After': '7' }));
  t.is(throttled.retryAfterMs, 7000);
  t.is(throttled.retry, 'throttled');
  t.is(mapGraphError(404, body('ErrorItemNotFound'), {}).details.requestId, 'rid-inner');
  const html = mapGraphError(502, '<html>bad gateway</html>', undefined);
  t.is(html.code, 'GRAPH_UNAVAILABLE');
  t.is(html.details.graphCode, undefined);
});

test('403 is told apart by the token: no roles = consent missing, role held = access policy, else the role to add', (t) => {
  const path = '/users/support@contoso.example/mailFolders/inbox';
  const context = { method: 'GET', path, mailbox: 'support@contoso.example' };
  const consent = mapGraphError(403, body('ErrorAccessDenied'), {}, { ...context, granted: [] });
  t.is(consent.code, 'GRAPH_ACCESS_DENIED');
  t.regex(consent.hint ?? '', /Grant admin consent/);
  const policy = mapGraphError(403, body('ErrorAccessDenied'), {}, { ...context, granted: ['Mail.ReadWrite'] });
  t.is(policy.code, 'GRAPH_MAILBOX_ACCESS_POLICY');
  t.regex(policy.message, /may not open mailbox support@contoso\.example/);
  t.regex(policy.hint ?? '', /application access policy/);
  const role = mapGraphError(403, body('ErrorAccessDenied'), {}, { ...context, granted: ['Calendars.Read'] });
  t.is(role.code, 'GRAPH_ACCESS_DENIED');
  t.regex(role.hint ?? '', /Mail\.ReadWrite/);
  const directory = mapGraphError(403, body('Authorization_RequestDenied'), {}, { method: 'GET', path: '/users', granted: ['Mail.ReadWrite'] });
  t.regex(directory.hint ?? '', /User\.Read\.All/);
});
