import { AppError, isAppError, type Clock } from '../core/index.ts';
import { collectionNames, insertManyOnce, withStoreErrors, type Store } from '../store/index.ts';
import { recordTicketEvent, recordTicketEvents } from './ticket-events.ts';
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
  /** An internal note: stored and counted, but it records no event (so no notification) and reopens nothing. */
  internal?: boolean;
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
  /** Custom fields to set (merged into the ticket's fields; null removes one). */
  fields?: Record<string, unknown>;
}

export interface ListTicketsQuery {
  status?: TicketStatus;
  limit?: number;
}

/**
 * The ticket API used by mail actions, notifications and the CLI. Every write is idempotent by its key. The plural
 * writes do the same as their singular forms for many inputs in a few round trips (results in input order); the
 * mail connector writes a chunk of mail with them.
 */
export interface TicketStore {
  createTicket(input: NewTicket): Promise<{ ticket: Ticket; created: boolean }>;
  createTickets(inputs: readonly NewTicket[]): Promise<{ ticket: Ticket; created: boolean }[]>;
  addComment(input: NewComment): Promise<{ comment: TicketComment; created: boolean }>;
  /** TICKET_NOT_FOUND when any input names a missing ticket (nothing is written then). */
  addComments(inputs: readonly NewComment[]): Promise<{ comment: TicketComment; created: boolean }[]>;
  createObject(input: NewObject): Promise<{ object: StoredObject; created: boolean }>;
  createObjects(inputs: readonly NewObject[]): Promise<{ object: StoredObject; created: boolean }[]>;
  updateTicket(number: number, change: TicketChange): Promise<Ticket>;
  getTicket(number: number): Promise<Ticket>;
  findTicket(number: number): Promise<Ticket | null>;
  /** The tickets that exist among `numbers`, by number. */
  findTickets(numbers: readonly number[]): Promise<Map<number, Ticket>>;
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

  /** Takes `count` consecutive ticket numbers with one write; returns the first. */
  async function allocateNumbers(count: number): Promise<number> {
    // A number taken by a run that then crashed stays unused: gaps are harmless, duplicates are not.
    const allocate = () => withStoreErrors('allocate ticket number', () =>
      counters.findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' }),
    );
    let counter;
    try {
      counter = await allocate();
    } catch (error) {
      // Two first-ever allocations can both try to insert the counter; the loser finds it on a second try.
      if (!isAppError(error, 'STORE_DUPLICATE_KEY')) throw error;
      counter = await allocate();
    }
    return FIRST_TICKET_NUMBER + (counter?.seq ?? count) - count + 1;
  }

  async function findTicket(number: number): Promise<Ticket | null> {
    return withStoreErrors('read ticket', () => tickets.findOne({ number }));
  }

  async function getTicket(number: number): Promise<Ticket> {
    const ticket = await findTicket(number);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND', `no ticket #${number}`, { hint: 'List tickets with `mailroom tickets list`.' });
    return ticket;
  }

  const api: TicketStore = {
    findTicket,
    getTicket,

    async findTickets(numbers) {
      if (numbers.length === 0) return new Map();
      const found = await withStoreErrors('read tickets', () => tickets.find({ number: { $in: [...new Set(numbers)] } }).toArray());
      return new Map(found.map((ticket) => [ticket.number, ticket]));
    },

    async createTicket(input) {
      const [result] = await api.createTickets([input]);
      return result!;
    },

    async createTickets(inputs) {
      const byKey = new Map<string, NewTicket>();
      for (const input of inputs) if (!byKey.has(input.createdFrom)) byKey.set(input.createdFrom, input);
      const results = await insertManyOnce(tickets, 'createdFrom', inputs.map((input) => input.createdFrom), async (missing) => {
        const first = await allocateNumbers(missing.length);
        const now = clock();
        return missing.map((key, i): Ticket => {
          const input = byKey.get(key)!;
          return {
            number: first + i,
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
          };
        });
      }, 'ticket');
      // Written after the tickets, every time: a crash between the two writes is repaired by the rerun.
      const events = new Map(results.map(({ doc }) => [doc.number, { _id: `ticket.created:${doc.number}`, type: 'ticket.created' as const, ticketNumber: doc.number, at: doc.createdAt, data: {} }]));
      await recordTicketEvents(store, [...events.values()]);
      return results.map(({ doc, created }) => ({ ticket: doc, created }));
    },

    async addComment(input) {
      const [result] = await api.addComments([input]);
      return result!;
    },

    async addComments(inputs) {
      if (inputs.length === 0) return [];
      const found = await api.findTickets(inputs.map((input) => input.ticketNumber));
      const missingTicket = inputs.find((input) => !found.has(input.ticketNumber));
      if (missingTicket) throw new AppError('TICKET_NOT_FOUND', `no ticket #${missingTicket.ticketNumber}`, { hint: 'List tickets with `mailroom tickets list`.' });
      const byKey = new Map<string, NewComment>();
      for (const input of inputs) if (!byKey.has(input.key)) byKey.set(input.key, input);
      const results = await insertManyOnce(comments, 'key', inputs.map((input) => input.key), (missing) => missing.map((key): TicketComment => {
        const input = byKey.get(key)!;
        return {
          key: input.key,
          ticketNumber: input.ticketNumber,
          author: input.author,
          body: input.body,
          originalBody: input.originalBody ?? { text: null, html: null },
          source: input.source ?? null,
          attachments: input.attachments ?? [],
          ...(input.internal ? { internal: true } : {}),
          createdAt: clock(),
        };
      }), 'comment');
      const touched = [...new Set(results.map(({ doc }) => doc.ticketNumber))];
      // Derived from the comments themselves, so a repeated run cannot count a comment twice; one count for all the
      // touched tickets (a countDocuments each was a round trip, and a collection scan on the embedded server, per ticket).
      const counted = await withStoreErrors('count comments', () =>
        comments.aggregate<{ _id: number; n: number }>([{ $match: { ticketNumber: { $in: touched } } }, { $group: { _id: '$ticketNumber', n: { $sum: 1 } } }]).toArray(),
      );
      const counts = new Map<number, number>(touched.map((number) => [number, 0]));
      for (const { _id, n } of counted) counts.set(_id, n);
      const spoken = new Set(results.flatMap(({ doc }) => (doc.internal ? [] : [doc.ticketNumber])));
      const touches = touched.map((number) => {
        const status = found.get(number)?.status;
        const reopen = spoken.has(number) && (status === 'resolved' || status === 'pending') ? { status: 'open' as const } : {};
        return { updateOne: { filter: { number }, update: { $set: { commentCount: counts.get(number)!, updatedAt: clock(), ...reopen } } } };
      });
      await withStoreErrors('touch tickets', () => tickets.bulkWrite(touches, { ordered: false }));
      await recordTicketEvents(store, [...new Map(results.filter(({ doc }) => !doc.internal).map(({ doc }) => [doc.key, {
        _id: `comment.added:${doc.key}`, type: 'comment.added' as const, ticketNumber: doc.ticketNumber, at: doc.createdAt, data: { commentKey: doc.key, author: doc.author?.address ?? null },
      }])).values()]);
      return results.map(({ doc, created }) => ({ comment: doc, created }));
    },

    async createObject(input) {
      const [result] = await api.createObjects([input]);
      return result!;
    },

    async createObjects(inputs) {
      const byKey = new Map<string, NewObject>();
      for (const input of inputs) if (!byKey.has(input.key)) byKey.set(input.key, input);
      const results = await insertManyOnce(objects, 'key', inputs.map((input) => input.key), (missing) => missing.map((key): StoredObject => {
        const input = byKey.get(key)!;
        return { key: input.key, type: input.type, title: input.title, fields: input.fields ?? {}, source: input.source ?? null, attachments: input.attachments ?? [], createdAt: clock() };
      }), 'object');
      return results.map(({ doc, created }) => ({ object: doc, created }));
    },

    async updateTicket(number, change) {
      const before = await getTicket(number);
      const now = clock();
      const { fields, ...standard } = change;
      const set: Record<string, unknown> = { ...standard, updatedAt: now };
      const unset: Record<string, ''> = {};
      for (const [name, value] of Object.entries(fields ?? {})) {
        // A field name becomes part of a database path: no dots, no leading $.
        if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) throw new AppError('USAGE', `"${name}" is not a valid custom field name`, { hint: 'Use letters, digits, _ and -, starting with a letter or _.' });
        if (value === null) unset[`fields.${name}`] = '';
        else set[`fields.${name}`] = value;
      }
      await withStoreErrors('update ticket', () => tickets.updateOne({ number }, { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) }));
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
  return api;
}
