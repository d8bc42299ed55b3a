import test from 'ava';
import { aloneAboveBytes, batchBudgetBytes } from '../../src/mail/connector/fetch-mail.ts';
import { collectionNames } from '../../src/store/index.ts';
import { largeMime } from '../bench/mail-large.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

const job = { limits: { messagesPerRun: 1000, attachmentMaxBytes: 20_000_000, maxAttempts: 3 } };
const valueRoute = 'GET /users/{user}/messages/{id}/$value';
/** What the connector budgets for a mail of this MIME (the emulator's PidTagMessageSize is the MIME's length). */
const estimate = (mime: string): number => Math.ceil((Buffer.byteLength(mime, 'latin1') * 4) / 3);

function small(i: number): string {
  return buildMime({ from: `s${i}@fabrikam.example`, subject: `Small ${i}`, body: `Note ${i}.`, messageId: `small-${i}@fabrikam.example`, attachment: { filename: `note-${i}.txt`, contentType: 'text/plain', content: `note ${i}` } });
}

/** Five small mails, three medium ones, three small ones and a large one, in that order. */
async function deliverMixed(world: MailWorld): Promise<string[]> {
  // Two mediums fit one batch's budget, three do not; the large one is over the threshold for a fetch alone.
  const medium = (i: number): string => largeMime(i, Math.round((batchBudgetBytes * 0.45 * 3) / 4 / (4 / 3)));
  const large = largeMime(9, Math.round(((aloneAboveBytes * 1.1 * 3) / 4) / (4 / 3)));
  const mails = [small(1), small(2), small(3), small(4), small(5), medium(1), medium(2), medium(3), small(6), small(7), small(8), large];
  for (const mime of mails) await world.control.deliver(supportMailbox, mime, 'Inbox/Support');
  return mails;
}

test('mail with attachments is fetched in $batches sized by bytes: only mail over the threshold is fetched alone', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  const mails = await deliverMixed(world);
  const [m1, large] = [mails[5]!, mails[11]!];
  const smalls = mails.slice(0, 5).reduce((sum, m) => sum + estimate(m), 0);
  t.true(smalls + 2 * estimate(m1) <= batchBudgetBytes && 3 * estimate(m1) > batchBudgetBytes && estimate(m1) <= aloneAboveBytes, 'two mediums fit a batch with the small ones, three do not; each is batched');
  t.true(estimate(large) > aloneAboveBytes, 'the large one is fetched alone');
  await world.control.resetStats();
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 12, created: 12 });
  const stats = await world.control.stats();
  t.is(stats.byRoute[valueRoute], 12, 'every mail fetched once');
  t.is(stats.requestsByRoute[valueRoute], 1, `only the large mail on its own: ${JSON.stringify(stats.requestsByRoute)}`);
  // [5 small + 2 medium], [medium + 3 small]: the budget split them, not the count.
  t.is(stats.batchesByRoute[valueRoute], 2, JSON.stringify(stats));
  const tickets = await world.app.tickets.listTickets();
  t.is(tickets.length, 12);
  t.true(tickets.every((ticket) => ticket.attachments.length === 1 && ticket.attachments[0]!.fileId !== null), 'every attachment stored');
});

test('without sizes (a delta position saved before they were asked for) mail with attachments is fetched alone, as before', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, buildMime({ from: 'first@fabrikam.example', subject: 'First', body: 'x', messageId: 'first@fabrikam.example' }), 'Inbox/Support');
  t.is((await world.run(t)).counts.created, 1);
  // The link an older version saved: the same query without the $expand of PidTagMessageSize.
  const states = world.db.store.collection<{ _id: string; link: string }>(collectionNames.deltaState);
  const saved = (await states.findOne({}))!;
  t.regex(saved.link, /\$expand=/, 'the new query asks for sizes, and its link keeps asking');
  await states.updateOne({ _id: saved._id }, { $set: { link: saved.link.replace(/&?\$expand=[^&]*/, '') } });

  for (let i = 1; i <= 4; i += 1) await world.control.deliver(supportMailbox, small(i), 'Inbox/Support');
  for (let i = 1; i <= 3; i += 1) await world.control.deliver(supportMailbox, buildMime({ from: `p${i}@fabrikam.example`, subject: `Plain ${i}`, body: 'x', messageId: `plain-${i}@fabrikam.example` }), 'Inbox/Support');
  await world.control.resetStats();
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 7, created: 7 });
  const stats = await world.control.stats();
  t.is(stats.requestsByRoute[valueRoute], 4, 'each mail with attachments alone');
  t.is(stats.batchesByRoute[valueRoute], 1, 'the plain ones in one batch');
  t.is(stats.byRoute[valueRoute], 7);
});
