import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieName } from '../plugins/access-plugin.ts';
import { renderPage, type PageFrame } from './render-page.ts';

/** The active alerts a page's banner shows, read once per page request (see console-routes.ts). */
export const pageAlerts = new WeakMap<FastifyRequest, NonNullable<PageFrame['alerts']>>();

/** Facts every page frame needs from the request: who is signed in, a CSRF token for its forms, a flash message, alerts. */
export function frameFor(request: FastifyRequest, reply: FastifyReply, title: string, section: PageFrame['section']): PageFrame {
  const alerts = pageAlerts.get(request) ?? [];
  const p = request.principal;
  const user = p.kind === 'session' ? { name: p.name, displayName: p.displayName, role: p.role } : p.kind === 'token' ? { name: p.name } : null;
  const csrfToken = p.kind === 'session' ? reply.generateCsrf({ userInfo: request.cookies[sessionCookieName] ?? '' }) : '';
  const query = request.query as { done?: string; failed?: string } | undefined;
  const flash = query?.done ? { kind: 'ok' as const, text: query.done } : query?.failed ? { kind: 'error' as const, text: query.failed } : null;
  return { title, section, user, csrfToken, alerts, flash };
}

export async function sendPage(reply: FastifyReply, template: string, frame: PageFrame, data: Record<string, unknown>, status = 200): Promise<FastifyReply> {
  const html = await renderPage(template, frame, data);
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** May this person change things (assign, replay, run)? Readers see the same pages without the forms. */
export function canWrite(request: FastifyRequest, scope: string): boolean {
  return (request.principal.kind === 'session' || request.principal.kind === 'token') && request.principal.scopes.has(scope as never);
}
