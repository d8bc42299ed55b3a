import test from 'ava';
import { fetch as undiciFetch } from 'undici';
import { createTlsDispatcher } from '../../src/auth/index.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { errorOf, startApiWorld, type ApiWorld } from './helpers/api-world.ts';

let api: ApiWorld;
test.before(async () => {
  api = await startApiWorld({ http: { signIn: { connection: 'test', readers: ['support@contoso.example'] } } });
});
test.after.always(async () => {
  await api?.close();
});

/** A browser's way through: Mailroom's /auth/sign-in, the emulator's authorize page, the account picked through the control API, the callback. */
async function signIn(roles: string[] | undefined, next = '/api/v1/session'): Promise<{ status: number; location: string | null; session: string | null; body: string }> {
  const start = await api.call('GET', `/auth/sign-in?next=${encodeURIComponent(next)}`);
  if (start.status !== 302) throw new Error(`sign-in answered ${start.status}: ${start.text}`);
  const authorize = new URL(start.headers.get('location')!);
  const pendingCookie = start.headers.getSetCookie().find((c) => c.startsWith('mailroom_sign_in='))!.split(';')[0]!;
  const page = await undiciFetch(authorize, { dispatcher: createTlsDispatcher(api.world.emulator.caFile) });
  const html = await page.text();
  if (page.status !== 200 || !html.includes(supportMailbox)) throw new Error(`authorize page: ${page.status} ${html}`);
  const approved = (await api.world.control.call('POST', '/_emulator/sign-ins/approve', { state: authorize.searchParams.get('state'), upn: supportMailbox, ...(roles ? { roles } : {}) })) as { location: string };
  const callback = new URL(approved.location);
  const done = await api.call('GET', `${callback.pathname}${callback.search}`, { cookie: pendingCookie });
  return { status: done.status, location: done.headers.get('location'), session: done.headers.getSetCookie().find((c) => c.startsWith('mailroom_session='))?.split(';')[0] ?? null, body: done.text };
}

test('the authorize request carries PKCE (S256), a state and a nonce, and redirects back to /auth/callback', async (t) => {
  const start = await api.call('GET', '/auth/sign-in');
  t.is(start.status, 302);
  const authorize = new URL(start.headers.get('location')!);
  t.is(authorize.origin, api.world.emulator.url);
  t.is(authorize.searchParams.get('code_challenge_method'), 'S256');
  t.truthy(authorize.searchParams.get('code_challenge'));
  t.truthy(authorize.searchParams.get('nonce'));
  t.is(authorize.searchParams.get('redirect_uri'), `${api.url}/auth/callback`);
  t.regex(start.headers.getSetCookie().join('\n'), /mailroom_sign_in=[^;]+;.*HttpOnly/i);
});

test('a person with the app role Mailroom.Admin signs in and may write', async (t) => {
  const result = await signIn(['Mailroom.Admin']);
  t.is(result.status, 303, result.body);
  t.is(result.location, '/api/v1/session');
  t.truthy(result.session);
  const me = await api.call('GET', '/api/v1/session', { cookie: result.session! });
  t.like(me.json, { kind: 'session', name: supportMailbox, role: 'admin' });
  t.true((me.json as { scopes: string[] }).scopes.includes('tickets:write'));
});

test('Mailroom.Reader (or a place on the readers list) signs in read-only: writing is 403', async (t) => {
  const result = await signIn(['Mailroom.Reader']);
  t.is(result.status, 303);
  const me = await api.call('GET', '/api/v1/session', { cookie: result.session! });
  const { csrfToken } = me.json as { csrfToken: string };
  t.like(me.json, { role: 'reader' });
  const csrf = me.headers.getSetCookie().find((c) => c.startsWith('mailroom_csrf='))!.split(';')[0]!;
  const { ticket } = await api.app.tickets.createTicket({ createdFrom: 'mail:entra', requester: null, subject: 'Read only', description: '.' });
  t.is((await api.call('GET', `/api/v1/tickets/${ticket.number}`, { cookie: result.session! })).status, 200);
  const write = await api.call('PATCH', `/api/v1/tickets/${ticket.number}`, { cookie: `${result.session!}; ${csrf}`, headers: { 'x-csrf-token': csrfToken }, body: { status: 'open' } });
  t.is(write.status, 403);
  t.is(errorOf(write).code, 'API_FORBIDDEN');
});

test('without a Mailroom role and not on a list: 403 SIGN_IN_DENIED and no session', async (t) => {
  const other = await startApiWorld({ http: { signIn: { connection: 'test' } } });
  t.teardown(() => other.close());
  const saved = api;
  api = other;
  try {
    const result = await signIn(undefined);
    t.is(result.status, 403, result.body);
    t.is(JSON.parse(result.body).error.code, 'SIGN_IN_DENIED');
    t.is(result.session, null);
  } finally {
    api = saved;
  }
});

test('a callback from another browser (no pending cookie), a reused state or a refused sign-in is 400 SIGN_IN_FAILED', async (t) => {
  const start = await api.call('GET', '/auth/sign-in');
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  await (await undiciFetch(start.headers.get('location')!, { dispatcher: createTlsDispatcher(api.world.emulator.caFile) })).text();
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith('mailroom_sign_in='))!.split(';')[0]!;
  const approved = (await api.world.control.call('POST', '/_emulator/sign-ins/approve', { state, upn: supportMailbox, roles: ['Mailroom.Admin'] })) as { location: string };
  const callback = new URL(approved.location);
  const elsewhere = await api.call('GET', `${callback.pathname}${callback.search}`);
  t.is(elsewhere.status, 400);
  t.is(errorOf(elsewhere).code, 'SIGN_IN_FAILED');
  t.is((await api.call('GET', `${callback.pathname}${callback.search}`, { cookie })).status, 303);
  const replay = await api.call('GET', `${callback.pathname}${callback.search}`, { cookie });
  t.is(replay.status, 400, 'a state is good for one callback');
  const refused = await api.call('GET', '/auth/callback?error=access_denied&error_description=AADSTS65004%3A+declined', { cookie });
  t.is(refused.status, 400);
  t.regex(errorOf(refused).message, /access_denied/);
});

test('with Entra sign-in configured there is no one-time link', (t) => {
  t.is(api.server.issueSignInUrl(), null);
});
