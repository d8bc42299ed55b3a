/** The fields a delta round selects: enough to decide whether a mail needs work, and how to fetch it, without fetching it. */
export interface DeltaMessage {
  id: string;
  internetMessageId?: string | null;
  subject?: string | null;
  receivedDateTime?: string | null;
  conversationId?: string | null;
  categories?: string[];
  /** True when the mail has (non-inline) attachments: such mail may be large and is fetched on its own. */
  hasAttachments?: boolean;
  from?: { emailAddress?: { address?: string; name?: string } } | null;
  /** PidTagMessageSize when the round expanded it (`messageSizeExpand`); read with `readMessageSize`. */
  singleValueExtendedProperties?: { id?: string; value?: string }[] | null;
}

export const deltaSelect = ['id', 'internetMessageId', 'subject', 'receivedDateTime', 'conversationId', 'categories', 'hasAttachments', 'from'];

/** Oldest first, so an original is always processed before a reply to it that arrived in the same page. */
export function byReceived(a: DeltaMessage, b: DeltaMessage): number {
  return (a.receivedDateTime ?? '').localeCompare(b.receivedDateTime ?? '');
}
