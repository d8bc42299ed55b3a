import type { Store } from '../../store/index.ts';
import { createMessageLedger } from './message-ledger.ts';

/** A quarantined mail as people see it (CLI, HTTP API): what it is, why it stopped, whether it can be replayed from raw MIME. */
export interface QuarantinedMail {
  key: string;
  job: string;
  mailbox: string;
  graphId: string;
  subject: string;
  sender: string | null;
  internetMessageId: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  quarantinedAt: Date | null;
  /** The raw MIME is kept, so a replay works even when the mail is gone from the mailbox. */
  rawStored: boolean;
}

/** Quarantined mail of one job (or every job), newest first. */
export async function listQuarantine(store: Store, options: { job?: string | null; limit?: number } = {}): Promise<QuarantinedMail[]> {
  const entries = await createMessageLedger(store).listQuarantined(options.job ?? null, options.limit ?? 500);
  return entries.map((entry) => ({
    key: entry._id, job: entry.job, mailbox: entry.mailbox, graphId: entry.graphId, subject: entry.subject, sender: entry.sender ?? null,
    internetMessageId: entry.internetMessageId, attempts: entry.attempts, error: entry.lastError,
    quarantinedAt: entry.quarantinedAt ?? entry.updatedAt ?? null, rawStored: Boolean(entry.rawMimeFileId),
  }));
}
