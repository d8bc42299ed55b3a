import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.ts';
import { scopesOfRole, type ApiTokenStore, type SessionStore } from '../../auth/access/index.ts';
import type { FailureLimiter } from '../failure-limiter.ts';
import type { Principal } from '../principal.ts';

export const sessionCookieName = 'mailroom_session';

export interface AccessPluginOptions {
  tokens: ApiTokenStore;
  sessions: SessionStore;
  failedTokens: FailureLimiter;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function identify(request: FastifyRequest, options: AccessPluginOptions): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const wait = options.failedTokens.blockedFor(request.ip);
    if (wait > 0) throw new AppError('API_RATE_LIMITED', 'too many failed token uses from this address', { retryAfterMs: wait, hint: 'Check the token; it may have been revoked.' });
    const token = match ? await options.tokens.verify(match[1]!) : null;
    if (!token) {
      options.failedTokens.recordFailure(request.ip);
      throw new AppError('API_UNAUTHORIZED', match ? 'the API token is unknown or revoked' : 'the Authorization header must be "Bearer <token>"', {
        hint: 'Create a token with `mailroom api-tokens create --name <name> --scopes …`.',
      });
    }
    return { kind: 'token', name: token.name, tokenId: token._id, scopes: new Set(token.scopes) };
  }
  const sessionId = request.cookies[sessionCookieName];
  if (sessionId) {
    const session = await options.sessions.find(sessionId);
    if (session) return { kind: 'session', name: session.user.name, displayName: session.user.displayName, role: session.user.role, scopes: new Set(scopesOfRole(session.user.role)) };
  }
  return { kind: 'anonymous' };
}

function signInLocation(request: FastifyRequest): string {
  return `/auth/sign-in?next=${encodeURIComponent(request.url)}`;
}

/**
 * Authentication (a Bearer API token, else the session cookie) on every request, then the route's `access` rule:
 * 401 without a sign-in, 403 without the scope. Browser sessions must also send the CSRF token on every
 * state-changing request; API tokens are not sent by browsers on their own, so token requests need none.
 */
export function registerAccess(fastify: FastifyInstance, options: AccessPluginOptions): void {
  // null, not an object: Fastify shares a decorator's object value between requests.
  fastify.decorateRequest<Principal | null>('principal', null);
  fastify.addHook('onRoute', (route) => {
    if (route.config?.access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no config.access (see src/http/README.md)`);
  });
  fastify.addHook('onRequest', async (request, reply: FastifyReply) => {
    request.principal = { kind: 'anonymous' };
    request.principal = await identify(request, options);
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const principal = request.principal;
    if (principal.kind === 'anonymous') {
      if (request.routeOptions.config.signInRedirect && safeMethods.has(request.method)) return reply.redirect(signInLocation(request), 303);
      throw new AppError('API_UNAUTHORIZED', 'sign in first, or send an API token', { hint: 'Send "Authorization: Bearer <token>", or sign in at /auth/sign-in.' });
    }
    if (access !== 'signed-in' && !principal.scopes.has(access)) {
      const who = principal.kind === 'session' ? `${principal.name} (${principal.role})` : `token ${principal.name}`;
      throw new AppError('API_FORBIDDEN', `${who} may not do this: it needs the scope ${access}`, {
        details: { needs: access },
        hint: principal.kind === 'session' ? 'Ask an administrator for the app role Mailroom.Admin.' : `Create a token with the scope ${access}.`,
      });
    }
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    const access = request.routeOptions.config.access;
    if (request.principal.kind !== 'session' || safeMethods.has(request.method) || access === undefined || access === 'public') return done();
    fastify.csrfProtection(request, reply, done);
  });
}
