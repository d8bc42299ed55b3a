import type { Message } from './message.ts';

/**
 * Importance from the headers clients actually send: Outlook's `Importance`, `X-Priority` (1-2 high, 4-5 low),
 * `Priority` (RFC 2156: urgent/non-urgent) and `X-MSMail-Priority`. mailparser 3.9 leaves its own `priority` unset.
 */
export function readImportance(headers: Readonly<Record<string, string[]>>): Message['importance'] {
  const first = (name: string): string => (headers[name]?.[0] ?? '').trim().toLowerCase();
  const importance = first('importance');
  if (importance === 'high' || importance === 'low' || importance === 'normal') return importance;
  const xPriority = /^(\d)/.exec(first('x-priority'))?.[1];
  if (xPriority) return Number(xPriority) <= 2 ? 'high' : Number(xPriority) >= 4 ? 'low' : 'normal';
  const priority = first('priority');
  if (priority === 'urgent') return 'high';
  if (priority === 'non-urgent') return 'low';
  const ms = first('x-msmail-priority');
  if (ms === 'high' || ms === 'low') return ms;
  return 'normal';
}
