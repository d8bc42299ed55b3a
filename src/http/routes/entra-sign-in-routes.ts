import { AppError } from '../../core/index.ts';
import { createPeopleSignIn, createSignInRequestStore, decideRole, type PeopleSignIn } from '../../auth/access/index.ts';
import { safeNext, startSession } from '../session-cookie.ts';
import type { RouteGroup } from '../route-group.ts';
import { signInRateLimit } from './session-routes.ts';

const pendingCookie = 'mailroom_sign_in';
const pendingLifetimeMs = 10 * 60_000;

/**
 * People's sign-in with Entra ID (only when http.signIn names a connection): /auth/sign-in sends the browser to the
 * authorize endpoint, /auth/callback takes the code back. The state travels in the URL and in a cookie of this
 * browser, so a callback started elsewhere (login CSRF) is refused; the request itself waits in the database.
 */
export const entraSignInRoutes: RouteGroup = {
  name: 'entra-sign-in',
  prefix: '/auth',
  register(fastify, { host, settings, sessions, baseUrl }) {
    const signIn = settings.signIn;
    if (!signIn) return;
    const requests = createSignInRequestStore(host.store, host.clock);
    let people: PeopleSignIn | undefined;
    const client = (): PeopleSignIn => {
      const connection = host.config.connections.find((c) => c.name === signIn.connection);
      if (!connection) throw new AppError('CONFIG_INVALID', `http.signIn.connection names no connection "${signIn.connection}"`);
      return (people ??= createPeopleSignIn(connection, { env: host.config.env, baseDir: host.config.root, logger: host.logger }));
    };
    const redirectUri = (): string => `${baseUrl()}/auth/callback`;

    fastify.get<{ Querystring: { next?: string } }>('/sign-in', {
      config: { access: 'public', rateLimit: signInRateLimit },
      schema: { querystring: { type: 'object', additionalProperties: false, properties: { next: { type: 'string', maxLength: 2000 } } } },
    }, async (request, reply) => {
      if (request.principal.kind === 'session') return reply.redirect(safeNext(request.query.next), 303);
      const start = await client().begin(redirectUri());
      await requests.save(start.state, { verifier: start.verifier, nonce: start.nonce, next: safeNext(request.query.next) }, pendingLifetimeMs);
      void reply.setCookie(pendingCookie, start.state, { httpOnly: true, secure: true, sameSite: 'lax', path: '/auth/callback', maxAge: pendingLifetimeMs / 1000 });
      return reply.redirect(start.url, 302);
    });

    fastify.get<{ Querystring: { code?: string; state?: string; error?: string; error_description?: string } }>('/callback', {
      config: { access: 'public', rateLimit: signInRateLimit },
      // Entra adds parameters of its own (session_state, client_info): not ours to refuse.
      schema: { querystring: { type: 'object', additionalProperties: true, properties: { code: { type: 'string', maxLength: 4000 }, state: { type: 'string', maxLength: 200 }, error: { type: 'string' }, error_description: { type: 'string' } } } },
    }, async (request, reply) => {
      const q = request.query;
      if (q.error) throw new AppError('SIGN_IN_FAILED', `Entra ID refused the sign-in: ${q.error}${q.error_description ? ` (${q.error_description.split('\n')[0]})` : ''}`, { hint: 'Start again at /auth/sign-in.' });
      if (!q.code || !q.state) throw new AppError('SIGN_IN_FAILED', 'the callback lacks the code or the state', { hint: 'Start again at /auth/sign-in.' });
      if (request.cookies[pendingCookie] !== q.state) throw new AppError('SIGN_IN_FAILED', 'this sign-in was not started in this browser', { hint: 'Start again at /auth/sign-in (cookies must be allowed).' });
      void reply.clearCookie(pendingCookie, { path: '/auth/callback' });
      const pending = await requests.take(q.state);
      if (!pending) throw new AppError('SIGN_IN_FAILED', 'this sign-in is unknown, used already, or expired', { hint: 'Start again at /auth/sign-in.' });
      const person = await client().complete({ code: q.code, redirectUri: redirectUri(), verifier: pending.verifier, nonce: pending.nonce });
      let role;
      try {
        role = decideRole(person, signIn);
      } catch (error) {
        host.logger.warn(`sign-in refused: ${person.upn} has no Mailroom role`, { requestId: request.id });
        throw error;
      }
      await startSession(reply, sessions, { name: person.upn, displayName: person.name, role, via: 'entra' }, settings.sessionHours);
      host.logger.info(`signed in: ${person.upn} (${role})`, { requestId: request.id });
      return reply.redirect(pending.next, 303);
    });
  },
};
