import test from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApiTokenStore } from '../../src/auth/access/index.ts';
import { withHttpDefaults } from '../../src/config/http-config.ts';
import { createHttpServer, type RouteGroup } from '../../src/http/index.ts';
import { errorOf, startApiWorld, type ApiWorld } from './helpers/api-world.ts';

/** A route with a body schema, to see validation errors name the field. */
const echo: RouteGroup = {
  name: 'test-echo',
  prefix: '/api/v1',
  register(fastify) {
    fastify.post('/test-echo', {
      config: { access: 'tickets:write' },
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { enum: ['open', 'closed'] }, count: { type: 'integer' }, nested: { type: 'object', additionalProperties: false, properties: { flag: { type: 'boolean' } } } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' } } } },
      },
    }, async (request) => ({ status: (request.body as { status: string }).status }));
    fastify.get('/test-broken', { config: { access: 'public' }, schema: { response: { 200: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } } }, async () => ({ n: 'not a number' }));
  },
};

let api: ApiWorld;
test.before(async () => {
  api = await startApiWorld({ groups: [echo] });
});
test.after.always(async () => {
  await api?.close();
});

test('the OpenAPI 3.1 document is served, validates, and lists the API routes only', async (t) => {
  const result = await api.call('GET', '/api/v1/openapi.json');
  t.is(result.status, 200);
  const doc = result.json as { openapi: string; paths: Record<string, unknown> };
  t.is(doc.openapi, '3.1.0');
  const validation = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
  t.true(validation.valid, JSON.stringify(validation.errors));
  t.truthy(doc.paths['/api/v1/session']);
  t.truthy(doc.paths['/api/v1/test-echo']);
  t.falsy(doc.paths['/auth/one-time'], 'sign-in redirects are not part of the API');
});

test('an unknown route answers 404 in the error shape', async (t) => {
  const result = await api.call('GET', '/api/v1/nothing-here');
  t.is(result.status, 404);
  t.is(errorOf(result).code, 'API_NOT_FOUND');
  t.truthy(result.headers.get('x-request-id'));
});

test('without a token or session the API answers 401; a token is known by its name', async (t) => {
  const anonymous = await api.call('GET', '/api/v1/session');
  t.is(anonymous.status, 401);
  t.is(errorOf(anonymous).code, 'API_UNAUTHORIZED');
  const token = await api.token('reporting', ['tickets:read']);
  const me = await api.call('GET', '/api/v1/session', { token });
  t.is(me.status, 200);
  t.deepEqual(me.json, { kind: 'token', name: 'reporting', scopes: ['tickets:read'] });
  const wrong = await api.call('GET', '/api/v1/session', { token: `${token}x` });
  t.is(wrong.status, 401);
});

test('a revoked token is refused and its last use stays recorded', async (t) => {
  const tokens = createApiTokenStore(api.world.db.store, api.app.clock);
  const { token } = await tokens.create({ name: 'to-revoke', scopes: ['jobs:read'] });
  t.is((await api.call('GET', '/api/v1/session', { token })).status, 200);
  const used = (await tokens.list()).find((x) => x.name === 'to-revoke');
  t.truthy(used?.lastUsedAt);
  await tokens.revoke('to-revoke');
  const refused = await api.call('GET', '/api/v1/session', { token });
  t.is(refused.status, 401);
  t.is(errorOf(refused).code, 'API_UNAUTHORIZED');
});

test('bad bodies answer 400 with the JSON pointer of the field, and nothing reaches the handler', async (t) => {
  const token = await api.token('writer-400', ['tickets:write']);
  const unknown = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'open', colour: 'red' } });
  t.is(unknown.status, 400);
  t.is(errorOf(unknown).code, 'API_REQUEST_INVALID');
  t.like(errorOf(unknown).details, { in: 'body', pointer: '/colour' });
  t.regex(errorOf(unknown).message, /\/colour/);
  const enumBad = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'maybe' } });
  t.like(errorOf(enumBad).details, { pointer: '/status' });
  t.regex(errorOf(enumBad).message, /must be one of "open", "closed"/);
  const wrongType = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'open', count: '5' } });
  t.is(wrongType.status, 400, 'a string is not coerced into a number in a body');
  t.like(errorOf(wrongType).details, { pointer: '/count' });
  const deep = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'open', nested: { flag: 'yes' } } });
  t.like(errorOf(deep).details, { pointer: '/nested/flag' });
  const missing = await api.call('POST', '/api/v1/test-echo', { token, body: {} });
  t.like(errorOf(missing).details, { pointer: '/status' });
  const broken = await api.call('POST', '/api/v1/test-echo', { token, body: '{"status": ' });
  t.is(broken.status, 400);
  t.is(errorOf(broken).code, 'API_REQUEST_INVALID');
  const ok = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'open', count: 5 } });
  t.is(ok.status, 200);
  t.deepEqual(ok.json, { status: 'open' });
});

test('a token without the route\'s scope gets 403 naming the scope', async (t) => {
  const token = await api.token('reader-403', ['tickets:read']);
  const result = await api.call('POST', '/api/v1/test-echo', { token, body: { status: 'open' } });
  t.is(result.status, 403);
  t.is(errorOf(result).code, 'API_FORBIDDEN');
  t.regex(errorOf(result).message, /tickets:write/);
});

test('an answer that does not match its schema is a 500 with the request id, not a wrong document', async (t) => {
  const result = await api.call('GET', '/api/v1/test-broken');
  t.is(result.status, 500);
  t.is(errorOf(result).code, 'INTERNAL');
  t.true(errorOf(result).message.includes(result.headers.get('x-request-id')!));
});

test('the one-time link signs in once with a HttpOnly, Secure, SameSite cookie; CSRF guards state changes', async (t) => {
  const link = api.server.issueSignInUrl('/api/v1/session')!;
  const path = link.slice(api.url.length);
  const first = await api.call('GET', path);
  t.is(first.status, 303);
  t.is(first.headers.get('location'), '/api/v1/session');
  const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('mailroom_session='))!;
  t.regex(setCookie, /HttpOnly/i);
  t.regex(setCookie, /Secure/i);
  t.regex(setCookie, /SameSite=Lax/i);
  const again = await api.call('GET', path);
  t.is(again.status, 401, 'the link works once');

  const cookie = setCookie.split(';')[0]!;
  const me = await api.call('GET', '/api/v1/session', { cookie });
  t.is(me.status, 200);
  const body = me.json as { kind: string; name: string; role: string; csrfToken: string };
  t.like(body, { kind: 'session', name: 'local', role: 'admin' });
  const csrfCookie = me.headers.getSetCookie().find((c) => c.startsWith('mailroom_csrf='))!.split(';')[0]!;

  const noToken = await api.call('POST', '/api/v1/test-echo', { cookie: `${cookie}; ${csrfCookie}`, body: { status: 'open' } });
  t.is(noToken.status, 403);
  t.is(errorOf(noToken).code, 'API_CSRF_INVALID');
  const withToken = await api.call('POST', '/api/v1/test-echo', { cookie: `${cookie}; ${csrfCookie}`, body: { status: 'open' }, headers: { 'x-csrf-token': body.csrfToken } });
  t.is(withToken.status, 200);
  const otherSession = await api.signIn();
  const tossed = await api.call('POST', '/api/v1/test-echo', { cookie: `${otherSession}; ${csrfCookie}`, body: { status: 'open' }, headers: { 'x-csrf-token': body.csrfToken } });
  t.is(tossed.status, 403, 'a CSRF token is bound to its session');

  const signOut = await api.call('POST', '/auth/sign-out', { cookie: `${cookie}; ${csrfCookie}`, form: { _csrf: body.csrfToken } });
  t.is(signOut.status, 303);
  t.is((await api.call('GET', '/api/v1/session', { cookie })).status, 401, 'the session ended');
});

test('security headers are set on every answer', async (t) => {
  const result = await api.call('GET', '/api/v1/openapi.json');
  t.is(result.headers.get('x-content-type-options'), 'nosniff');
  t.regex(result.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  t.regex(result.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  t.truthy(result.headers.get('x-frame-options'));
});

test('each request is logged with its id and who made it, never the token or the link\'s secret', async (t) => {
  const token = await api.token('logged', ['tickets:read']);
  const result = await api.call('GET', '/api/v1/session', { token });
  const id = result.headers.get('x-request-id');
  const link = api.server.issueSignInUrl()!;
  await fetch(link, { redirect: 'manual' });
  const line = api.logLines().find((l) => l.requestId === id);
  t.like(line, { who: 'token:logged', status: 200 });
  const all = JSON.stringify(api.logLines());
  t.false(all.includes(token));
  t.false(all.includes(new URL(link).searchParams.get('token')!));
});

test('failed token uses from one address are refused with 429 after 20 tries', async (t) => {
  const own = await createHttpServer(api.app, { settings: withHttpDefaults({ port: 0 }, null) });
  const url = await own.listen();
  t.teardown(() => own.close());
  const statuses: number[] = [];
  for (let i = 0; i < 21; i += 1) statuses.push((await fetch(`${url}/api/v1/session`, { headers: { authorization: 'Bearer mrt_guess' } })).status);
  t.deepEqual(statuses, [...Array<number>(20).fill(401), 429]);
  const blocked = await fetch(`${url}/api/v1/session`, { headers: { authorization: 'Bearer mrt_guess' } });
  t.truthy(blocked.headers.get('retry-after'));
});

test('without a sign-in configured the server refuses to listen beyond loopback', async (t) => {
  const error = await t.throwsAsync(createHttpServer(api.app, { settings: withHttpDefaults({ host: '0.0.0.0', port: 0 }, null) }));
  t.is((error as { code?: string }).code, 'HTTP_LISTEN_FAILED');
});
