import { fetch, type Dispatcher } from 'undici';
import { createTlsDispatcher } from '../../src/auth/index.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';

export interface FolderListing {
  id: string;
  subject: string;
  isRead: boolean;
  flag?: { flagStatus?: string };
  categories: string[];
  internetMessageId: string;
}

/** Talks to the emulator's control API over HTTPS, trusting its CA for these requests only. */
export function emulatorClient(emulator: RunningEmulator): {
  deliver(mailbox: string, mime: string, folder?: string): Promise<{ id: string; internetMessageId: string }>;
  list(mailbox: string, folder: string): Promise<FolderListing[]>;
  sent(mailbox: string): Promise<{ to: unknown; subject: string; body: unknown; headers: unknown }[]>;
  stats(): Promise<{ requests: number; operations: number; byRoute: Record<string, number>; requestsByRoute: Record<string, number>; batchesByRoute: Record<string, number> }>;
  resetStats(): Promise<void>;
  fault(spec: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown>;
} {
  const dispatcher: Dispatcher = createTlsDispatcher(emulator.caFile);
  async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      dispatcher,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': contentType } }),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  }
  const box = (mailbox: string): string => `/_emulator/mailboxes/${encodeURIComponent(mailbox)}`;
  return {
    call,
    deliver: async (mailbox, mime, folder = 'Inbox') =>
      (await call('POST', `${box(mailbox)}/messages?folder=${encodeURIComponent(folder)}`, mime, 'message/rfc822')) as { id: string; internetMessageId: string },
    list: async (mailbox, folder) => {
      const result = (await call('GET', `${box(mailbox)}/messages?folder=${encodeURIComponent(folder)}`)) as FolderListing[] | { value: FolderListing[] };
      return Array.isArray(result) ? result : result.value;
    },
    sent: async (mailbox) => {
      const result = (await call('GET', `${box(mailbox)}/sent`)) as unknown[] | { value: unknown[] };
      return (Array.isArray(result) ? result : result.value) as { to: unknown; subject: string; body: unknown; headers: unknown }[];
    },
    stats: async () => (await call('GET', '/_emulator/stats')) as { requests: number; operations: number; byRoute: Record<string, number>; requestsByRoute: Record<string, number>; batchesByRoute: Record<string, number> },
    resetStats: async () => void (await call('DELETE', '/_emulator/stats')),
    fault: async (spec) => void (await call('POST', '/_emulator/faults', spec)),
    clearFaults: async () => void (await call('DELETE', '/_emulator/faults')),
  };
}
