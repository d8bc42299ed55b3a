import test from 'ava';
import { collectionNames } from '../../src/store/index.ts';
import { folderRecheckMs } from '../../src/mail/connector/source-folder.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

interface SavedState { _id: string; folderId: string; folderPath?: string; folderCheckedAt?: Date; link: string }

const folderLookups = (byRoute: Record<string, number>): number =>
  Object.entries(byRoute).filter(([route]) => /\/mailFolders\/\{folder\}(\/childFolders)?$|\/mailFolders$/.test(route)).reduce((sum, [, n]) => sum + n, 0);

test('an empty poll is one delta request: the folder id is remembered with the delta position, and looked up again after an hour', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const { control } = world;
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Printer jammed', body: 'Jammed.', messageId: 'fid-1@fabrikam.example' }), 'Inbox/Support');
  const first = await world.run(t);
  t.is(first.counts.created, 1);
  const states = world.db.store.collection<SavedState>(collectionNames.deltaState);
  const saved = await states.findOne({ folderPath: 'Inbox/Support' });
  t.truthy(saved?.folderCheckedAt, 'the first run resolved the path and saved when');

  await control.resetStats();
  const empty = await world.run(t);
  t.is(empty.status, 'succeeded');
  const stats = await control.stats();
  t.is(folderLookups(stats.byRoute), 0, `no folder lookup: ${JSON.stringify(stats.byRoute)}`);
  t.is(stats.byRoute['GET /users/{user}/mailFolders/{folder}/messages/delta'], 1);
  t.is(empty.graph.requests, 1, 'one HTTP request in all');

  // An hour later the path is resolved again (a folder renamed away and replaced would be noticed).
  await states.updateOne({ _id: saved!._id }, { $set: { folderCheckedAt: new Date(Date.now() - folderRecheckMs - 60_000) } });
  await control.resetStats();
  await world.run(t);
  t.true(folderLookups((await control.stats()).byRoute) > 0, 'the path was looked up again');
  const rechecked = await states.findOne({ _id: saved!._id });
  t.true(rechecked!.folderCheckedAt!.getTime() > Date.now() - folderRecheckMs, 'and the check time renewed');

  // A mail arriving after the remembered-id polls is still read.
  await control.deliver(supportMailbox, buildMime({ from: 'bo@fabrikam.example', subject: 'VPN drops', body: 'Drops.', messageId: 'fid-2@fabrikam.example' }), 'Inbox/Support');
  const later = await world.run(t);
  t.is(later.counts.created, 1);
});

test('a remembered folder id Graph no longer knows is resolved from the path again and the folder is read; nothing is processed twice', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const { control } = world;
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Printer jammed', body: 'Jammed.', messageId: 'gone-1@fabrikam.example' }), 'Inbox/Support');
  t.is((await world.run(t)).counts.created, 1);
  const states = world.db.store.collection<SavedState>(collectionNames.deltaState);
  const saved = (await states.findOne({ folderPath: 'Inbox/Support' }))!;
  // What a deleted folder leaves behind: a position (and id) for a folder that is no longer there.
  const goneId = 'AAMkAGdvbmUtZm9sZGVy';
  await states.deleteOne({ _id: saved._id });
  await states.insertOne({ ...saved, _id: `${world.job.name}|${goneId}`, folderId: goneId, link: saved.link.replace(encodeURIComponent(saved.folderId), goneId).replace(saved.folderId, goneId) });

  await control.deliver(supportMailbox, buildMime({ from: 'bo@fabrikam.example', subject: 'VPN drops', body: 'Drops.', messageId: 'gone-2@fabrikam.example' }), 'Inbox/Support');
  const run = await world.run(t);
  t.is(run.status, 'succeeded', JSON.stringify(run.error));
  t.deepEqual(run.counts, { seen: 1, created: 1 });
  t.true(run.notes.some((note) => /has a new id/.test(note)), run.notes.join(' | '));
  t.is((await world.app.tickets.listTickets()).length, 2);
  const current = await states.findOne({ folderPath: 'Inbox/Support' }, { sort: { updatedAt: -1 } });
  t.is(current?.folderId, saved.folderId, 'the position of the real folder is saved again');
});

test('a first run lists Inbox\'s child folders once for the job\'s folder and its post-action folders, and fetches no well-known folder', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const { control } = world;
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Printer jammed', body: 'Jammed.', messageId: 'list-1@fabrikam.example' }), 'Inbox/Support');
  await control.resetStats();
  const run = await world.run(t);
  t.is(run.counts.created, 1);
  t.is((await control.list(supportMailbox, 'Inbox/Processed')).length, 1, 'moved to Inbox/Processed');
  const { byRoute } = await control.stats();
  // Inbox/Support (the job's folder) and Inbox/Processed (its moveTo) share the listing of Inbox's children.
  t.is(byRoute['GET /users/{user}/mailFolders/{folder}/childFolders'], 1, JSON.stringify(byRoute));
  t.is(folderLookups(byRoute), 1, 'no GET of Inbox itself: its well-known name lists its children');
});
