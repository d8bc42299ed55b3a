import { newChangeKey, newRestId, stableId } from './ids.ts';
import { graphDate, type MessageRecord } from './message-record.ts';

/** One change in a folder's log; delta rounds read the log from a sequence number (O(changes), not O(n²)). */
export interface FolderChange {
  seq: number;
  key: string;
  /** The REST id the item had in this folder when the change happened (for @removed). */
  restId: string;
  removed: boolean;
}

export interface MailFolder {
  id: string;
  displayName: string;
  parentId: string;
  wellKnownName: string | undefined;
  hidden: boolean;
  childIds: string[];
  messages: Map<string, MessageRecord>;
  changes: FolderChange[];
  latest: Map<string, number>;
  /** Delta sync-state generations; tokens older than `generation - retained` are evicted (410 SyncStateNotFound). */
  generation: number;
  minGeneration: number;
  sorted: MessageRecord[] | undefined;
}

export type MailboxChange = { kind: 'created' | 'updated' | 'deleted'; folder: MailFolder; message: MessageRecord };

/** Well-known folder names (https://learn.microsoft.com/en-us/graph/api/resources/mailfolder) with display names. */
const DEFAULT_FOLDERS: Record<string, { en: string; de: string }> = {
  inbox: { en: 'Inbox', de: 'Posteingang' },
  drafts: { en: 'Drafts', de: 'Entwürfe' },
  sentitems: { en: 'Sent Items', de: 'Gesendete Elemente' },
  deleteditems: { en: 'Deleted Items', de: 'Gelöschte Elemente' },
  junkemail: { en: 'Junk Email', de: 'Junk-E-Mail' },
  outbox: { en: 'Outbox', de: 'Postausgang' },
  archive: { en: 'Archive', de: 'Archiv' },
  conversationhistory: { en: 'Conversation History', de: 'Unterhaltungsverlauf' },
};

export const WELL_KNOWN_NAMES = new Set([
  'archive', 'clutter', 'conflicts', 'conversationhistory', 'deleteditems', 'drafts', 'inbox', 'junkemail', 'localfailures',
  'msgfolderroot', 'outbox', 'recoverableitemsdeletions', 'scheduled', 'searchfolders', 'sentitems', 'serverfailures', 'syncissues',
]);

export class Mailbox {
  readonly userId: string;
  readonly upn: string;
  readonly domain: string;
  readonly folders = new Map<string, MailFolder>();
  readonly wellKnown = new Map<string, string>();
  readonly rootId: string;
  /** Every id (REST or immutable) a live message answers to. */
  readonly byId = new Map<string, MessageRecord>();
  readonly sentLog: Record<string, unknown>[] = [];
  readonly delegates: Set<string>;
  seq = 0;
  readonly listeners = new Set<(change: MailboxChange) => void>();

  constructor(userId: string, upn: string, language: string | undefined, delegates: string[] = []) {
    this.userId = userId;
    this.upn = upn.toLowerCase();
    this.domain = upn.split('@')[1] ?? 'contoso.example';
    this.delegates = new Set(delegates.map((d) => d.toLowerCase()));
    this.rootId = this.#addFolder('Top of Information Store', '', 'msgfolderroot', false).id;
    const german = language?.toLowerCase().startsWith('de') === true;
    for (const [name, labels] of Object.entries(DEFAULT_FOLDERS)) {
      this.#addFolder(german ? labels.de : labels.en, this.rootId, name, false);
    }
  }

  #addFolder(displayName: string, parentId: string, wellKnownName: string | undefined, hidden: boolean): MailFolder {
    const id = stableId('AQMkA', this.userId, parentId, displayName.toLowerCase());
    const folder: MailFolder = {
      id, displayName, parentId, wellKnownName, hidden, childIds: [], messages: new Map(), changes: [], latest: new Map(),
      generation: 0, minGeneration: 1, sorted: undefined,
    };
    this.folders.set(id, folder);
    if (wellKnownName !== undefined) this.wellKnown.set(wellKnownName, id);
    this.folders.get(parentId)?.childIds.push(id);
    return folder;
  }

  createFolder(parentId: string, displayName: string, hidden = false): MailFolder {
    return this.#addFolder(displayName, parentId, undefined, hidden);
  }

  childByName(parentId: string, displayName: string): MailFolder | undefined {
    const parent = this.folders.get(parentId);
    for (const id of parent?.childIds ?? []) {
      const child = this.folders.get(id);
      if (child?.displayName.toLowerCase() === displayName.toLowerCase()) return child;
    }
    return undefined;
  }

  /** Resolves `Inbox/Support` the way clients must: first segment a well-known name or top-level folder. */
  folderByPath(path: string): MailFolder | undefined {
    const [first = '', ...rest] = path.split('/').filter((s) => s !== '');
    let folder = this.wellKnown.has(first.toLowerCase())
      ? this.folders.get(this.wellKnown.get(first.toLowerCase()) as string)
      : this.childByName(this.rootId, first);
    for (const segment of rest) {
      if (folder === undefined) return undefined;
      folder = this.childByName(folder.id, segment);
    }
    return folder;
  }

  ensureFolderPath(path: string, hidden = false): MailFolder {
    const [first = '', ...rest] = path.split('/').filter((s) => s !== '');
    let folder = this.folderByPath(first) ?? this.createFolder(this.rootId, first, hidden);
    for (const segment of rest) folder = this.childByName(folder.id, segment) ?? this.createFolder(folder.id, segment, hidden);
    return folder;
  }

  folderOf(wellKnownName: string): MailFolder {
    return this.folders.get(this.wellKnown.get(wellKnownName) as string) as MailFolder;
  }

  #record(folder: MailFolder, message: MessageRecord, removed: boolean): number {
    const seq = ++this.seq;
    folder.changes.push({ seq, key: message.immutableId, restId: message.restId, removed });
    folder.latest.set(message.immutableId, seq);
    folder.sorted = undefined;
    return seq;
  }

  #emit(kind: MailboxChange['kind'], folder: MailFolder, message: MessageRecord): void {
    for (const listener of this.listeners) listener({ kind, folder, message });
  }

  addMessage(folder: MailFolder, message: MessageRecord): MessageRecord {
    message.folderId = folder.id;
    folder.messages.set(message.immutableId, message);
    this.byId.set(message.restId, message);
    this.byId.set(message.immutableId, message);
    message.arrivalSeq = this.#record(folder, message, false);
    this.#emit('created', folder, message);
    return message;
  }

  touch(message: MessageRecord, now: Date): void {
    message.changeKey = newChangeKey();
    message.lastModifiedDateTime = graphDate(now);
    const folder = this.folders.get(message.folderId) as MailFolder;
    this.#record(folder, message, false);
    this.#emit('updated', folder, message);
  }

  removeMessage(message: MessageRecord): void {
    const folder = this.folders.get(message.folderId) as MailFolder;
    this.#record(folder, message, true);
    folder.messages.delete(message.immutableId);
    this.byId.delete(message.restId);
    this.byId.delete(message.immutableId);
    this.#emit('deleted', folder, message);
  }

  /** A move is a copy plus a delete in Exchange: the REST id changes, the immutable id stays. */
  moveMessage(message: MessageRecord, target: MailFolder, now: Date): MessageRecord {
    if (target.id === message.folderId) return message;
    this.removeMessage(message);
    message.restId = newRestId();
    message.changeKey = newChangeKey();
    message.lastModifiedDateTime = graphDate(now);
    return this.addMessage(target, message);
  }

  /** Messages of a folder, newest first (Graph's default order for message lists); cached until the folder changes. */
  sortedMessages(folder: MailFolder): MessageRecord[] {
    if (folder.sorted === undefined) {
      folder.sorted = [...folder.messages.values()].sort(
        (a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime) || b.arrivalSeq - a.arrivalSeq,
      );
    }
    return folder.sorted;
  }

  allMessages(): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (const folder of this.folders.values()) out.push(...this.sortedMessages(folder));
    return out.sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime) || b.arrivalSeq - a.arrivalSeq);
  }

  folderPath(folder: MailFolder): string {
    const parts: string[] = [];
    let current: MailFolder | undefined = folder;
    while (current !== undefined && current.id !== this.rootId) {
      parts.unshift(current.wellKnownName === 'inbox' ? 'Inbox' : current.displayName);
      current = this.folders.get(current.parentId);
    }
    return parts.join('/');
  }
}
