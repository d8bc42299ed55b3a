/**
 * The identity of a mail across runs, moves and folders: mailbox + internetMessageId, or the immutable Graph id when a
 * message has no Message-ID (some scanners and old systems send none).
 */
export function ledgerKey(mailbox: string, internetMessageId: string | null | undefined, immutableId: string): string {
  const id = internetMessageId?.trim().replace(/^<|>$/g, '');
  return `${mailbox.toLowerCase()}|${id ? `mid:${id}` : `gid:${immutableId}`}`;
}
