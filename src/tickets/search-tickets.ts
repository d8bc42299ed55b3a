import { AppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { Ticket, TicketStatus } from './ticket-types.ts';

export interface TicketSearch {
  status?: readonly TicketStatus[];
  assignee?: string;
  group?: string;
  /** The requester's address (case-insensitive, exact). */
  requester?: string;
  /** Words that must all appear in the subject or description (case-insensitive). */
  text?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Default 50, at most 200. */
  limit?: number;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cursors are opaque to callers: the last ticket number of a page, newest first. */
function decodeCursor(cursor: string): number {
  const number = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^n:/, ''));
  if (!Number.isInteger(number)) throw new AppError('API_REQUEST_INVALID', 'query parameter cursor is not a cursor from a previous page', { details: { in: 'querystring', pointer: '/cursor' } });
  return number;
}

function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`, 'utf8').toString('base64url');
}

/** Tickets newest first, filtered, in pages that stay stable while new tickets arrive (keyset paging on the number). */
export async function searchTickets(store: Store, search: TicketSearch): Promise<TicketPage> {
  const limit = Math.min(200, Math.max(1, search.limit ?? 50));
  const and: Record<string, unknown>[] = [];
  if (search.status && search.status.length > 0) and.push({ status: { $in: [...search.status] } });
  if (search.assignee !== undefined) and.push({ assignee: search.assignee });
  if (search.group !== undefined) and.push({ group: search.group });
  if (search.requester !== undefined) and.push({ 'requester.address': { $regex: `^${escapeRegex(search.requester)}$`, $options: 'i' } });
  for (const word of (search.text ?? '').split(/\s+/).filter(Boolean).slice(0, 10)) {
    const pattern = { $regex: escapeRegex(word), $options: 'i' };
    and.push({ $or: [{ subject: pattern }, { description: pattern }] });
  }
  if (search.createdAfter) and.push({ createdAt: { $gte: search.createdAfter } });
  if (search.createdBefore) and.push({ createdAt: { $lt: search.createdBefore } });
  if (search.cursor !== undefined) and.push({ number: { $lt: decodeCursor(search.cursor) } });
  const filter = and.length === 0 ? {} : { $and: and };
  const found = await withStoreErrors('search tickets', () =>
    store.collection<Ticket>(collectionNames.tickets).find(filter).sort({ number: -1 }).limit(limit + 1).toArray(),
  );
  const tickets = found.slice(0, limit);
  return { tickets, nextCursor: found.length > limit ? encodeCursor(tickets[tickets.length - 1]!.number) : null };
}
