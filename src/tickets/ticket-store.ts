import { AppError, isAppError, type Clock } from '../core/index.ts';
import { collectionNames, insertOnce, withStoreErrors, type Store } from '../store/index.ts';
import { recordTicketEvent } from './ticket-events.ts';
import type { AttachmentRef, MailSource, Person, StoredObject, Ticket, TicketComment, TicketPriority, TicketStatus } from './ticket-types.ts';

export interface NewTicket {
  createdFrom: string;
  requester: Person | null;
  subject: string;
  description: string;
  originalBody?: { text: string | null; html: string | null };
  priority?: TicketPriority;
  assignee?: string | null;
  group?: string | null;
  dueAt?: Date | null;
  fields?: Record<string, unknown>;
  source?: MailSource | null;
  attachments?: AttachmentRef[];
}

export interface NewComment {
  key: string;
  ticketNumber: number;
  author: Person | null;
  body: string;
  originalBody?: { text: string | null; html: string | null };
  source?: MailSource | null;
  attachments?: AttachmentRef[];
}

export interface NewObject {
  key: string;
  type: string;
  title: string;
  fields?: Record<string, unknown>;
  source?: MailSource | null;
  attachments?: AttachmentRef[];
}

export interface TicketChange {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee?: string | null;
  group?: string | null;
  dueAt?: Date | null;
}

export interface ListTicketsQuery {
  status?: TicketStatus;
  limit?: number;
}

/** The ticket API used by mail actions, notifications and the CLI. Every write is idempotent by its key. */
export interface TicketStore {
  createTicket(input: NewTicket): Promise<{ ticket: Ticket; created: boolean }>;
  addComment(input: NewComment): Promise<{ comment: TicketComment; created: boolean }>;
  createObject(input: NewObject): Promise<{ object: StoredObject; created: boolean }>;
  updateTicket(number: number, change: TicketChange): Promise<Ticket>;
  getTicket(number: number): Promise<Ticket>;
  findTicket(number: number): Promise<Ticket | null>;
  listTickets(query?: ListTicketsQuery): Promise<Ticket[]>;
  listComments(number: number): Promise<TicketComment[]>;
  listObjects(query?: { type?: string; limit?: number }): Promise<StoredObject[]>;
}

const FIRST_TICKET_NUMBER = 1000;

export function createTicketStore(store: Store, clock: Clock): TicketStore {
  const tickets = store.collection<Ticket>(collectionNames.tickets);
  const comments = store.collection<TicketComment>(collectionNames.ticketComments);
  const objects = store.collection<StoredObject>(collectionNames.objects);
  const counters = store.collection<{ _id: string; seq: number }>(collectionNames.counters);

  async function nextNumber(): Promise<number> {
    // A number taken by a run that then crashed stays unused: gaps are harmless, duplicates are not.
    const allocate = () => withStoreErrors('allocate ticket number', () =>
      counters.findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }),
    );
    let counter;
    try {
      counter = await allocate();
    } catch (error) {
      // Two first-ever allocations can both try to insert the counter; the loser finds it on a second try.
      if (!isAppError(error, 'STORE_DUPLICATE_KEY')) throw error;
      counter = await allocate();
    }
    return FIRST_TICKET_NUMBER + (counter?.seq ?? 1);
  }

  async function findTicket(number: number): Promise<Ticket | null> {
    return withStoreErrors('read ticket', () => tickets.findOne({ number }));
  }

  async function getTicket(number: number): Promise<Ticket> {
    const ticket = await findTicket(number);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND', `no ticket #${number}`, { hint: 'List tickets with `mailroom tickets list`.' });
    return ticket;
  }

  return {
    findTicket,
    getTicket,

    async createTicket(input) {
      const { doc: ticket, created } = await insertOnce(tickets, { createdFrom: input.createdFrom }, async () => {
        const now = clock();
        return {
          number: await nextNumber(),
          createdFrom: input.createdFrom,
          requester: input.requester,
          subject: input.subject,
          description: input.description,
          originalBody: input.originalBody ?? { text: null, html: null },
          status: 'new',
          priority: input.priority ?? 'normal',
          assignee: input.assignee ?? null,
          group: input.group ?? null,
          dueAt: input.dueAt ?? null,
          fields: input.fields ?? {},
          source: input.source ?? null,
          attachments: input.attachments ?? [],
          commentCount: 0,
          createdAt: now,
          updatedAt: now,
        } satisfies Ticket;
      }, 'ticket');
      // Written after the ticket, every time: a crash between the two writes is repaired by the rerun.
      await recordTicketEvent(store, { _id: `ticket.created:${ticket.number}`, type: 'ticket.created', ticketNumber: ticket.number, at: ticket.createdAt, data: {} });
      return { ticket, created };
    },

    async addComment(input) {
      const ticket = await getTicket(input.ticketNumber);
      const { doc: comment, created } = await insertOnce(comments, { key: input.key }, () => ({
        key: input.key,
        ticketNumber: ticket.number,
        author: input.author,
        body: input.body,
        originalBody: input.originalBody ?? { text: null, html: null },
        source: input.source ?? null,
        attachments: input.attachments ?? [],
        createdAt: clock(),
      }), 'comment');
      // Derived from the comments themselves, so a repeated run cannot count a comment twice.
      const count = await withStoreErrors('count comments', () => comments.countDocuments({ ticketNumber: ticket.number }));
      const reopen = ticket.status === 'resolved' || ticket.status === 'pending' ? { status: 'open' as const } : {};
      await withStoreErrors('touch ticket', () => tickets.updateOne({ number: ticket.number }, { $set: { commentCount: count, updatedAt: clock(), ...reopen } }));
      await recordTicketEvent(store, { _id: `comment.added:${comment.key}`, type: 'comment.added', ticketNumber: ticket.number, at: comment.createdAt, data: { commentKey: comment.key, author: comment.author?.address ?? null } });
      return { comment, created };
    },

    async createObject(input) {
      const { doc: object, created } = await insertOnce(objects, { key: input.key }, () => ({
        key: input.key,
        type: input.type,
        title: input.title,
        fields: input.fields ?? {},
        source: input.source ?? null,
        attachments: input.attachments ?? [],
        createdAt: clock(),
      }), 'object');
      return { object, created };
    },

    async updateTicket(number, change) {
      const before = await getTicket(number);
      const now = clock();
      const set: Partial<Ticket> = { ...change, updatedAt: now };
      await withStoreErrors('update ticket', () => tickets.updateOne({ number }, { $set: set }));
      const after = await getTicket(number);
      const stamp = now.toISOString();
      if (change.assignee !== undefined && change.assignee !== before.assignee && change.assignee !== null) {
        await recordTicketEvent(store, { _id: `ticket.assigned:${number}:${stamp}`, type: 'ticket.assigned', ticketNumber: number, at: now, data: { from: before.assignee, to: change.assignee } });
      }
      if (change.status !== undefined && change.status !== before.status) {
        await recordTicketEvent(store, { _id: `ticket.status-changed:${number}:${stamp}`, type: 'ticket.status-changed', ticketNumber: number, at: now, data: { from: before.status, to: change.status } });
      }
      if (change.dueAt !== undefined && (change.dueAt?.getTime() ?? null) !== (before.dueAt?.getTime() ?? null)) {
        await recordTicketEvent(store, { _id: `ticket.due-changed:${number}:${stamp}`, type: 'ticket.due-changed', ticketNumber: number, at: now, data: { from: before.dueAt, to: change.dueAt } });
      }
      return after;
    },

    async listTickets(query = {}) {
      return withStoreErrors('list tickets', () =>
        tickets.find(query.status ? { status: query.status } : {}).sort({ number: -1 }).limit(query.limit ?? 50).toArray(),
      );
    },

    async listComments(number) {
      return withStoreErrors('list comments', () => comments.find({ ticketNumber: number }).sort({ createdAt: 1 }).toArray());
    },

    async listObjects(query = {}) {
      return withStoreErrors('list objects', () =>
        objects.find(query.type ? { type: query.type } : {}).sort({ createdAt: -1 }).limit(query.limit ?? 50).toArray(),
      );
    },
  };
}
