import { createHash } from 'node:crypto';
import test from 'ava';
import type { ObjectId } from 'mongodb';
import { aloneAboveBytes } from '../../src/mail/connector/fetch-mail.ts';
import { collectionNames, readFileBytes } from '../../src/store/index.ts';
import { largeMime } from '../bench/mail-large.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

/** An attachment size whose mail is over the threshold for a fetch alone, so it is streamed. */
const attachmentBytes = Math.round(aloneAboveBytes * 0.7);
const job = { limits: { messagesPerRun: 1000, attachmentMaxBytes: attachmentBytes + 1, maxAttempts: 3 } };

/** Chunk groups no file document names (by its id, or a streamed file's metadata.chunksId): what a half-written file would leave. */
async function strayChunks(world: MailWorld): Promise<number> {
  const ids = await world.db.store.collection(collectionNames.fileChunks).distinct('files_id');
  const files = await world.db.store.collection(collectionNames.fileMetadata).find({}, { projection: { 'metadata.chunksId': 1 } }).toArray();
  const named = new Set(files.flatMap((file) => [String(file._id), ...(file.metadata?.chunksId ? [String(file.metadata.chunksId)] : [])]));
  return (ids as ObjectId[]).filter((id) => !named.has(String(id))).length;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function attachmentOf(mime: string): Buffer {
  const base64 = /Content-Transfer-Encoding: base64\r\n\r\n([\s\S]*?)\r\n--/.exec(mime)![1]!;
  return Buffer.from(base64.replace(/\s+/g, ''), 'base64');
}

test('a large mail is streamed into the file store and parsed from there: the ticket has its attachment and the raw MIME as it came', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  const mime = largeMime(1, attachmentBytes);
  await world.control.deliver(supportMailbox, mime, 'Inbox/Support');
  await world.control.resetStats();
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 1, created: 1 });
  t.is((await world.control.stats()).requestsByRoute['GET /users/{user}/messages/{id}/$value'], 1, 'fetched alone');
  const [ticket] = await world.app.tickets.listTickets();
  t.is(ticket!.description.trim(), 'Scan 1 attached.');
  const attachment = ticket!.attachments[0]!;
  t.is(attachment.size, attachmentBytes);
  t.is(attachment.checksum, sha256(attachmentOf(mime)));
  t.is(sha256(await readFileBytes(world.db.store, attachment.fileId!)), attachment.checksum, 'the stored attachment is the decoded content');
  t.is(Buffer.from(await readFileBytes(world.db.store, ticket!.source!.rawMimeFileId!)).toString('latin1'), mime, 'the raw MIME is kept byte for byte');
  t.is(await strayChunks(world), 0);
});

test('a download broken midway fails that mail alone, leaves no file behind, and the next run fetches it whole', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  const mime = largeMime(2, attachmentBytes);
  await world.control.deliver(supportMailbox, mime, 'Inbox/Support');
  // Cut after several stored chunks' worth, so the failure has something to clean up.
  await world.control.fault({ method: 'GET', path: '/\\$value$', status: 200, cutAfterBytes: 3_000_000, count: 1 });
  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 1, failed: 1 });
  t.is(first.items[0]!.error?.code, 'GRAPH_UNAVAILABLE');
  t.regex(first.items[0]!.error?.message ?? '', /broke off after \d+ bytes/);
  t.is(await strayChunks(world), 0, 'the chunks written before the break are gone');
  t.is(await world.db.store.collection(collectionNames.fileMetadata).countDocuments({ 'metadata.kind': 'mime' }), 0, 'no MIME file was recorded');
  t.is((await world.app.tickets.listTickets()).length, 0);

  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 1, created: 1 });
  const [ticket] = await world.app.tickets.listTickets();
  t.is(Buffer.from(await readFileBytes(world.db.store, ticket!.source!.rawMimeFileId!)).toString('latin1'), mime);
  t.is(ticket!.attachments[0]!.size, attachmentBytes);
  t.is(await strayChunks(world), 0);
});
