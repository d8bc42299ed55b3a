import type { ObjectId } from 'mongodb';

export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high';

export interface Person {
  address: string;
  name: string;
}

/** Where a ticket, comment or object came from: enough to find the mail again in its mailbox. */
export interface MailSource {
  job: string;
  connection: string;
  mailbox: string;
  graphId: string | null;
  internetMessageId: string | null;
  /** GridFS id of the raw MIME, so nothing is lost to cleaning. */
  rawMimeFileId: ObjectId | null;
}

export interface AttachmentRef {
  fileId: ObjectId | null;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  checksum: string;
  /** Set when the file was not stored (over the size cap). */
  skipped?: string;
}

export interface Ticket {
  _id?: ObjectId;
  number: number;
  /** Idempotency key: the mail (mailbox + message key) that created it. Unique. */
  createdFrom: string;
  requester: Person | null;
  subject: string;
  description: string;
  originalBody: { text: string | null; html: string | null };
  status: TicketStatus;
  priority: TicketPriority;
  assignee: string | null;
  group: string | null;
  dueAt: Date | null;
  /** Fields a rule computed beyond the standard ones. */
  fields: Record<string, unknown>;
  source: MailSource | null;
  attachments: AttachmentRef[];
  commentCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface TicketComment {
  _id?: ObjectId;
  /** Idempotency key: mailbox + message key. Unique. */
  key: string;
  ticketNumber: number;
  author: Person | null;
  body: string;
  originalBody: { text: string | null; html: string | null };
  source: MailSource | null;
  attachments: AttachmentRef[];
  createdAt: Date;
}

/** An object of any type a rule creates: purchase order, contract, knowledge article, or a user's own type. */
export interface StoredObject {
  _id?: ObjectId;
  key: string;
  type: string;
  title: string;
  fields: Record<string, unknown>;
  source: MailSource | null;
  attachments: AttachmentRef[];
  createdAt: Date;
}

export type TicketEventType = 'ticket.created' | 'comment.added' | 'ticket.assigned' | 'ticket.status-changed' | 'ticket.due-changed';

/**
 * A change others react to (notifications). Its _id is derived from the change, so writing it again after a crash
 * is a no-op; `notifiedAt` is set once the notifier has queued what the event calls for.
 */
export interface TicketEvent {
  _id: string;
  type: TicketEventType;
  ticketNumber: number;
  at: Date;
  data: Record<string, unknown>;
  notifiedAt: Date | null;
}
