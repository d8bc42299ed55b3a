import type { Message } from './message.ts';

export interface ParseMeta {
  graphId?: string;
  conversationId?: string;
}

/** Raw MIME → Message. Never throws for malformed MIME: problems end up in `parseWarnings`. */
export async function parseMessage(raw: Uint8Array | string, meta: ParseMeta = {}): Promise<Message> {
  void raw;
  void meta;
  throw new Error('not implemented yet');
}
