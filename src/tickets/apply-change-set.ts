import { AppError } from '../core/index.ts';
import { putFiles, type FileToStore, type Store } from '../store/index.ts';
import type { AppliedChange, ChangeSet, PlannedChange } from './change-set.ts';
import type { NotificationBounces } from './notification-bounces.ts';
import type { ThreadIndex } from './thread-index.ts';
import type { ThreadTarget } from './thread-snapshot.ts';
import type { TicketStore } from './ticket-store.ts';

/** Files above this are written on their own: one write of many large files needs their bytes twice over at once (BSON). */
const largeFileBytes = 4 * 1024 * 1024;

async function storeFiles(store: Store, planned: ChangeSet['files']): Promise<string[]> {
  const ids: string[] = new Array<string>(planned.length);
  const files: (FileToStore & { i: number })[] = [];
  planned.forEach((file, i) => {
    if ('fileId' in file) ids[i] = file.fileId;
    else files.push({ ...file, i });
  });
  const small = files.filter((file) => file.bytes.byteLength <= largeFileBytes);
  (await putFiles(store, small)).forEach((id, n) => (ids[small[n]!.i] = id));
  for (const file of files) if (file.bytes.byteLength > largeFileBytes) ids[file.i] = (await putFiles(store, [file]))[0]!;
  return ids;
}

type Writing<K extends PlannedChange['kind']> = { i: number; change: Extract<PlannedChange, { kind: K }> };

function ofKind<K extends PlannedChange['kind']>(changes: readonly PlannedChange[], kind: K): Writing<K>[] {
  return changes.flatMap((change, i) => (change.kind === kind ? [{ i, change: change as Extract<PlannedChange, { kind: K }> }] : []));
}

/**
 * Carries out a change set with idempotent writes keyed by each mail's key: run it twice and the second run finds
 * what the first wrote. One round trip per kind: files (raw MIME, then attachments), tickets, comments, objects,
 * and last the thread links (a crash before them leaves the ids unknown, and the rerun, which redoes the chunk,
 * writes them). Results in the order of the changes; a per-mail failure planned as such comes back as its AppError.
 * Delivery reports for our notifications add their internal notes, then go to `bounces` (notify's outbox).
 */
export async function applyChangeSet(store: Store, tickets: TicketStore, threads: ThreadIndex, set: ChangeSet, bounces?: NotificationBounces): Promise<(AppliedChange | AppError)[]> {
  const { changes } = set;
  const fileIds = await storeFiles(store, set.files);
  const rawIdOf = (change: PlannedChange): string | null => (change.rawFile === null ? null : fileIds[change.rawFile]!);
  for (const change of changes) {
    if (change.kind === 'bounce' && change.note?.source) change.note.source = { ...change.note.source, rawMimeFileId: rawIdOf(change) };
    if (change.kind !== 'ticket' && change.kind !== 'comment' && change.kind !== 'object') continue;
    const attachments = change.input.attachments ?? [];
    attachments.forEach((ref, n) => {
      const file = change.attachmentFiles[n];
      if (file !== null && file !== undefined) ref.fileId = fileIds[file]!;
    });
    if (change.input.source) change.input.source = { ...change.input.source, rawMimeFileId: rawIdOf(change) };
  }

  const ticketWrites = ofKind(changes, 'ticket');
  const created = await tickets.createTickets(ticketWrites.map(({ change }) => change.input));
  const numberOf = new Map(ticketWrites.map(({ i }, n) => [i, created[n]!.ticket.number]));
  const resolve = (target: ThreadTarget): number => ('number' in target ? target.number : numberOf.get(target.createdBy)!);

  const commentWrites = ofKind(changes, 'comment');
  const comments = await tickets.addComments(commentWrites.map(({ change }) => ({ ...change.input, ticketNumber: resolve(change.target) })));
  const objectWrites = ofKind(changes, 'object');
  const objects = await tickets.createObjects(objectWrites.map(({ change }) => change.input));
  const bounceWrites = ofKind(changes, 'bounce');
  if (bounceWrites.length > 0 && !bounces) throw new AppError('INTERNAL', 'a delivery report was planned without the outbox to record it in');
  const notes = await tickets.addComments(bounceWrites.flatMap(({ change }) => (change.note ? [change.note] : [])));
  if (bounceWrites.length > 0) await bounces!.record(bounceWrites.map(({ change }) => change.report));

  const results: (AppliedChange | AppError)[] = changes.map((change) =>
    change.kind === 'failed' ? change.error : { action: change.kind === 'none' ? change.action : 'none', target: null, created: false, rawMimeFileId: rawIdOf(change) });
  ticketWrites.forEach(({ i, change }, n) => (results[i] = { action: 'created-ticket', target: `#${numberOf.get(i)!}`, created: created[n]!.created, rawMimeFileId: rawIdOf(change) }));
  commentWrites.forEach(({ i, change }, n) => (results[i] = { action: 'added-comment', target: `#${resolve(change.target)}`, created: comments[n]!.created, rawMimeFileId: rawIdOf(change) }));
  objectWrites.forEach(({ i, change }, n) => (results[i] = { action: 'created-object', target: `${change.input.type}:${change.input.key}`, created: objects[n]!.created, rawMimeFileId: rawIdOf(change) }));
  let note = 0;
  for (const { i, change } of bounceWrites) {
    const created = change.note ? notes[note++]!.created : false;
    results[i] = { action: 'recorded-bounce', target: change.note ? `#${change.note.ticketNumber}` : `notification:${change.report.notificationId}`, created, rawMimeFileId: rawIdOf(change) };
  }

  const links = [...ticketWrites.map(({ i }) => ({ i, number: numberOf.get(i)! })), ...commentWrites.map(({ i, change }) => ({ i, number: resolve(change.target) }))]
    .sort((a, b) => a.i - b.i)
    .map(({ i, number }) => ({ ids: [changes[i]!.messageId], ticketNumber: number }));
  await threads.remember(links);
  return results;
}
