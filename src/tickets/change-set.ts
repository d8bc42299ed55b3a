import type { AppError } from '../core/index.ts';
import type { FileToStore } from '../store/index.ts';
import type { DeliveryReportWrite } from './notification-bounces.ts';
import type { NewComment, NewObject, NewTicket } from './ticket-store.ts';
import type { ThreadTarget } from './thread-snapshot.ts';

/** What one mail of a chunk changes, as `plan` decided it (no I/O happened yet). */
export type MailChange =
  | { kind: 'none'; action: 'ignored' | 'none' }
  | { kind: 'failed'; error: AppError }
  | { kind: 'ticket'; input: NewTicket }
  | { kind: 'comment'; target: ThreadTarget; input: Omit<NewComment, 'ticketNumber'> }
  | { kind: 'object'; input: NewObject }
  /** A delivery report for one of our notifications: recorded on it, with an internal note on its ticket (null: none). */
  | { kind: 'bounce'; report: DeliveryReportWrite; note: NewComment | null };

export type PlannedChange = MailChange & {
  /** The mail's own Message-ID, linked to the ticket it lands in so replies thread in. */
  messageId: string | null;
  /** Index into `files` of the mail's raw MIME (stored before anything that points to it); null: not stored. */
  rawFile: number | null;
  /** Per attachment ref of the input, the index into `files`; null for a skipped one. */
  attachmentFiles: (number | null)[];
};

/** A file stored already (while a large mail streamed in): the change only points to it. */
export interface StoredFileRef {
  fileId: string;
}

/** A chunk's writes: files first, then tickets, comments, objects and thread links, each kind in one round trip. */
export interface ChangeSet {
  files: (FileToStore | StoredFileRef)[];
  changes: PlannedChange[];
}

export interface AppliedChange {
  action: 'created-ticket' | 'added-comment' | 'created-object' | 'recorded-bounce' | 'ignored' | 'none';
  /** "#1042", or "purchase-order:<key>", or "notification:<outbox key>" for a bounce of mail that has no ticket */
  target: string | null;
  /** False when the write already existed (a rerun after a crash). */
  created: boolean;
  /** GridFS id of the raw MIME when it was stored. */
  rawMimeFileId: string | null;
}
