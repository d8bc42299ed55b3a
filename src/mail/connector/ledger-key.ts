/**
 * The identity of a mail across runs, moves and folders: mailbox + its immutable Graph id. Message-ID is threading
 * data, not identity: broken or forging senders give different mail one Message-ID.
 * https://learn.microsoft.com/graph/outlook-immutable-id
 */
export function ledgerKey(mailbox: string, immutableId: string): string {
  return `${mailbox.toLowerCase()}|gid:${immutableId}`;
}

/**
 * The key earlier versions used: mailbox + Message-ID, the Graph id only for mail without one. Mail already in the
 * ledger under it keeps that key (its tickets and comments are keyed by it), so an upgrade processes nothing twice.
 */
export function legacyLedgerKey(mailbox: string, internetMessageId: string | null | undefined, immutableId: string): string {
  const id = internetMessageId?.trim().replace(/^<|>$/g, '');
  return `${mailbox.toLowerCase()}|${id ? `mid:${id}` : `gid:${immutableId}`}`;
}
