import { AppError } from '../../core/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { sessionCookieName } from '../plugins/access-plugin.ts';
import { clearSession, safeNext, startSession } from '../session-cookie.ts';
import type { RouteGroup } from '../route-group.ts';

/** Sign-in attempts per client address and minute (one-time links and Entra callbacks alike). */
export const signInRateLimit = { max: 20, timeWindow: '1 minute' };

/** The demo's one-time link, sign-out, and who the caller is. */
export const sessionRoutes: RouteGroup = {
  name: 'session',
  prefix: '',
  register(fastify, context) {
    fastify.get<{ Querystring: { token: string; next?: string } }>('/auth/one-time', {
      config: { access: 'public', rateLimit: signInRateLimit },
      schema: { querystring: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, next: { type: 'string', maxLength: 2000 } } } },
    }, async (request, reply) => {
      if (!context.oneTime.redeem(request.query.token)) {
        throw new AppError('API_UNAUTHORIZED', 'this sign-in link is unknown, used already, or expired', { hint: 'Each link works once; `mailroom start` or `mailroom serve` prints a new one when it starts.' });
      }
      await startSession(reply, context.sessions, { name: 'local', displayName: 'Local administrator', role: 'admin', via: 'one-time-link' }, context.settings.sessionHours);
      return reply.redirect(safeNext(request.query.next), 303);
    });

    if (!context.settings.signIn) {
      // With Entra sign-in configured, its routes own /auth/sign-in instead.
      fastify.get('/auth/sign-in', { config: { access: 'public' } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Mailroom</title></head><body><main><h1>Sign in to Mailroom</h1>'
        + '<p>No Entra ID sign-in is configured, so Mailroom lets in whoever opens the one-time link that <code>mailroom start</code> (or <code>mailroom serve</code>) printed when it started.</p>'
        + '<p>To let people sign in with their Microsoft account, add <code>"http": {"signIn": {"connection": "…"}}</code> to a file in <code>schedules/</code>.</p></main></body></html>',
      ));
    }

    fastify.post('/auth/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
      const id = request.cookies[sessionCookieName];
      if (id) await context.sessions.remove(id);
      clearSession(reply);
      return reply.redirect('/auth/sign-in', 303);
    });

    fastify.get('/api/v1/session', {
      config: { access: 'signed-in' },
      schema: {
        summary: 'Who is calling, with what scopes; for a console session also the CSRF token to send as x-csrf-token',
        tags: ['session'],
        response: {
          200: {
            type: 'object',
            required: ['kind', 'name', 'scopes'],
            additionalProperties: false,
            properties: {
              kind: { enum: ['session', 'token'] },
              name: { type: 'string' },
              displayName: { type: 'string' },
              role: { enum: ['admin', 'reader'] },
              scopes: { type: 'array', items: { type: 'string' } },
              csrfToken: { type: 'string' },
            },
          },
          ...errorResponses(401),
        },
      },
    }, async (request, reply) => {
      const p = request.principal;
      if (p.kind === 'anonymous') throw new AppError('API_UNAUTHORIZED', 'sign in first');
      const scopes = [...p.scopes];
      if (p.kind === 'token') return { kind: 'token' as const, name: p.name, scopes };
      return { kind: 'session' as const, name: p.name, displayName: p.displayName, role: p.role, scopes, csrfToken: reply.generateCsrf({ userInfo: request.cookies[sessionCookieName] ?? '' }) };
    });
  },
};
