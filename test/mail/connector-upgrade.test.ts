import test from 'ava';
import { collectionNames } from '../../src/store/index.ts';
import { legacyLedgerKey } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

test('ledger data of the earlier version (keyed by Message-ID) keeps working: nothing is processed twice after the upgrade', async (t) => {
  const world = await startMailWorld({ job: { postActions: { markRead: true, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed', flag: false, categories: [] } } });
  t.teardown(() => world.close());
  const done = await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'Done before the upgrade', body: 'x', messageId: 'old-done@x' }), 'Inbox/Support') as { id: string; immutableId?: string };
  const half = await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'Written, not moved', body: 'x', messageId: 'old-half@x' }), 'Inbox/Support') as { id: string; immutableId?: string };
  await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'New after the upgrade', body: 'x', messageId: 'new@x' }), 'Inbox/Support');

  // What the earlier version wrote: ledger entries and tickets keyed by mailbox + Message-ID.
  const at = new Date('2026-11-30T10:00:00Z');
  const legacy = (mid: string, id: string) => legacyLedgerKey(supportMailbox, `<${mid}>`, id);
  const doneKey = legacy('old-done@x', done.immutableId!);
  const halfKey = legacy('old-half@x', half.immutableId!);
  await world.app.tickets.createTickets([
    { createdFrom: doneKey, requester: null, subject: 'Done before the upgrade', description: 'x' },
    { createdFrom: halfKey, requester: null, subject: 'Written, not moved', description: 'x' },
  ]);
  const entry = (key: string, graphId: string, mid: string, subject: string, status: string, target: string) => ({
    _id: key, job: 'support', mailbox: supportMailbox, graphId, internetMessageId: `<${mid}>`, subject, status, attempts: 0, lastError: null,
    outcome: { rule: 'new-ticket', action: 'created-ticket', target }, postActions: { markRead: true, flag: false, moveTo: 'Inbox/Processed' }, updatedAt: at,
  });
  const tickets = await world.app.tickets.listTickets();
  const numberOf = (subject: string) => `#${tickets.find((x) => x.subject === subject)!.number}`;
  await world.db.store.collection(collectionNames.mailLedger).insertMany([
    entry(doneKey, done.immutableId!, 'old-done@x', 'Done before the upgrade', 'done', numberOf('Done before the upgrade')),
    entry(halfKey, half.immutableId!, 'old-half@x', 'Written, not moved', 'applied', numberOf('Written, not moved')),
  ] as never[]);

  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 2, created: 2 }, 'the half-done mail gets its post-actions; the new one its ticket; the done one is left alone');
  t.is(run.items.find((i) => i.subject === 'Written, not moved')?.target, numberOf('Written, not moved'));
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject).sort(), ['Done before the upgrade', 'New after the upgrade', 'Written, not moved']);
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Processed')).map((m) => m.subject).sort(), ['New after the upgrade', 'Written, not moved']);
  t.deepEqual((await world.run(t)).counts, {});
});
