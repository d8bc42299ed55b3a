import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { sessionCookieName } from './access-plugin.ts';

/**
 * Cookies, CSRF tokens (double submit, bound to the session so a tossed cookie does not help), form bodies for the
 * console, security headers, and the rate limiter that sign-in routes opt into with `config.rateLimit`.
 */
export async function registerSecurity(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyFormbody);
  await fastify.register(fastifyHelmet, {
    // The console's pages are served from here only; nothing is framed and no third-party script runs.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], formAction: ["'self'"], upgradeInsecureRequests: null } },
    // TLS may end at a reverse proxy; the proxy then sets HSTS for the public name.
    strictTransportSecurity: false,
  });
  await fastify.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'mailroom_csrf',
    cookieOpts: { httpOnly: true, secure: true, sameSite: 'strict', path: '/', signed: false },
    getUserInfo: (request) => request.cookies[sessionCookieName] ?? '',
    // Per process: CSRF tokens from before a restart are refused and the page fetches a new one.
    csrfOpts: { hmacKey: randomBytes(32).toString('hex') },
    getToken: (request) => {
      const header = request.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const body = request.body as { _csrf?: unknown } | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  await fastify.register(fastifyRateLimit, { global: false });
}
