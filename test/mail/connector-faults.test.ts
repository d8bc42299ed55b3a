import test from 'ava';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

test('a poison message is quarantined after maxAttempts runs while the rest go through', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await cp('rules/default.json', join(root, 'rules/default.json'));
  // A rule that fails on one message only: what a broken rule or a pathological mail does in production.
  await writeFile(join(root, 'rules/poison.json'), JSON.stringify({
    name: 'poison', preprocess: [],
    rules: [
      { name: 'explode', when: "$contains(subject, 'POISON') ? $error('cannot handle this mail') : false", action: 'ignore' },
      { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } },
    ],
  }));
  const world = await startMailWorld({ root, ruleSets: { poison: join(root, 'rules/poison.json') }, job: { rules: 'poison' } });
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'Fine one', body: 'ok', messageId: 'ok-1@x' }), 'Inbox/Support');
  await world.control.deliver(supportMailbox, buildMime({ from: 'b@fabrikam.example', subject: 'POISON pill', body: 'bad', messageId: 'bad@x' }), 'Inbox/Support');
  await world.control.deliver(supportMailbox, buildMime({ from: 'c@fabrikam.example', subject: 'Fine two', body: 'ok', messageId: 'ok-2@x' }), 'Inbox/Support');

  const first = await world.run(t);
  t.is(first.status, 'partial');
  t.is(first.counts.created, 2);
  t.is(first.counts.failed, 1);
  t.is(first.items.find((i) => i.outcome === 'failed')?.error?.code, 'RULE_EVALUATION_FAILED');
  const second = await world.run(t);
  t.is(second.counts.failed, 1);
  const third = await world.run(t);
  t.is(third.counts.quarantined, 1);
  t.regex(third.items.find((i) => i.outcome === 'quarantined')?.error?.message ?? '', /cannot handle this mail/);
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Failed')).map((m) => m.subject), ['POISON pill']);
  const fourth = await world.run(t);
  t.is(fourth.status, 'succeeded');
  t.is(fourth.counts.failed ?? 0, 0);
  t.is((await world.app.tickets.listTickets()).length, 2);
});

test('an expired delta link leads to a full resync without duplicates', async (t) => {
  const world = await startMailWorld({ job: { postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  for (let i = 0; i < 3; i += 1) await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: `Mail ${i}`, body: 'x', messageId: `m${i}@x` }), 'Inbox/Support');
  await world.run(t);
  await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'Mail 3', body: 'x', messageId: 'm3@x' }), 'Inbox/Support');
  await world.control.fault({ method: 'GET', path: 'messages/delta', status: 410, count: 1 });
  const run = await world.run(t);
  t.is(run.status, 'succeeded', JSON.stringify(run.error));
  t.true(run.notes.some((n) => /dropped because Graph no longer knows it/.test(n)), run.notes.join('\n'));
  t.is(run.counts.created, 1);
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject).sort(), ['Mail 0', 'Mail 1', 'Mail 2', 'Mail 3']);
});

test('a 429 storm slows the run but loses nothing', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  // One sender each: the default rule set caps a single sender at 20 new tickets an hour (against mail loops).
  for (let i = 0; i < 30; i += 1) await world.control.deliver(supportMailbox, buildMime({ from: `a${i}@fabrikam.example`, subject: `Storm ${i}`, body: 'x', messageId: `s${i}@x` }), 'Inbox/Support');
  // Throttling on every kind of call the run makes: the delta read, the MIME batch, the post-action batch.
  await world.control.fault({ method: 'GET', path: 'messages/delta', status: 429, retryAfter: 1, count: 2 });
  await world.control.fault({ method: 'POST', path: '\\$batch', status: 429, retryAfter: 1, count: 3 });
  const started = Date.now();
  const run = await world.run(t);
  const took = Date.now() - started;
  await world.control.clearFaults();
  t.is(run.status, 'succeeded', JSON.stringify(run.error));
  t.true(took >= 3000, `Retry-After was honoured (${took} ms)`);
  t.is(run.counts.created, 30);
  t.true(run.graph.requests > 0);
  t.is((await world.app.tickets.listTickets()).length, 30);
  // A post-action that ran out of retries stays pending in the ledger; the next run finishes it and creates nothing.
  const after = await world.run(t);
  t.is(after.counts.created ?? 0, 0);
  t.is((await world.app.tickets.listTickets()).length, 30);
  t.is((await world.control.list(supportMailbox, 'Inbox/Processed')).length, 30);
  t.is((await world.control.list(supportMailbox, 'Inbox/Support')).length, 0);
});
