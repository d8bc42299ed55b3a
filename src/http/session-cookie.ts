import type { FastifyReply } from 'fastify';
import type { SessionStore, SessionUser } from '../auth/access/index.ts';
import { sessionCookieName } from './plugins/access-plugin.ts';

/**
 * Starts a console session: HttpOnly (no script reads it), Secure (browsers treat http://127.0.0.1 as secure, so the
 * demo works too), SameSite=Lax (sent on the top-level redirect back from Entra ID, never on cross-site posts).
 */
export async function startSession(reply: FastifyReply, sessions: SessionStore, user: SessionUser, hours: number): Promise<void> {
  const { id, expiresAt } = await sessions.create(user, hours * 3_600_000);
  void reply.setCookie(sessionCookieName, id, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', expires: expiresAt });
}

export function clearSession(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookieName, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
}

/** Only a local path may be a redirect target after sign-in (no open redirect to another site). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
