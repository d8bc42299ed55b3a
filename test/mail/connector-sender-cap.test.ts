import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

test('the sender cap against mail loops: over maxNewTicketsPerHour a sender opens no more tickets (also within one chunk); the mail stays unread with its category; other senders are not capped', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-cap-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const rules = JSON.parse(await readFile('rules/default.json', 'utf8')) as { senderPolicy?: Record<string, unknown> };
  rules.senderPolicy = { ...rules.senderPolicy, maxNewTicketsPerHour: 2 };
  const file = join(root, 'rules/default.json');
  await (await import('node:fs/promises')).mkdir(join(root, 'rules'), { recursive: true });
  await writeFile(file, JSON.stringify(rules));
  const world = await startMailWorld({ root, ruleSets: { default: file } });
  t.teardown(() => world.close());
  const loop = (n: number): string => buildMime({ from: 'Autoresponder <loop@fabrikam.example>', subject: `Your request ${n}`, body: `Message number ${n}.`, messageId: `loop-${n}@fabrikam.example` });
  for (let n = 1; n <= 3; n += 1) await world.control.deliver(supportMailbox, loop(n), 'Inbox/Support');
  await world.control.deliver(supportMailbox, buildMime({ from: 'Dana <dana@fabrikam.example>', subject: 'Printer on fire', body: 'Help.', messageId: 'dana-1@fabrikam.example' }), 'Inbox/Support');

  const first = await world.run(t);
  t.is(first.counts.created, 3, JSON.stringify(first.counts));
  t.is(first.counts.ignored, 1, JSON.stringify(first.counts));
  const tickets = await world.app.tickets.listTickets();
  t.is(tickets.filter((x) => x.requester?.address === 'loop@fabrikam.example').length, 2);
  t.is(tickets.filter((x) => x.requester?.address === 'dana@fabrikam.example').length, 1);
  // The job's post-actions still move it, but it stays unread and says why, for a person to look at.
  const capped = (await world.control.list(supportMailbox, 'Inbox/Processed')).filter((m) => m.categories.includes('Mailroom: sender over hourly limit'));
  t.is(capped.length, 1);
  t.false(capped[0]!.isRead);
  const line = first.items.find((i) => i.subject === capped[0]!.subject);
  t.is(line?.outcome, 'ignored');
  t.is(line?.rule, 'over-sender-cap');

  // Within the same hour, a later run counts the stored tickets: still capped.
  await world.control.deliver(supportMailbox, loop(4), 'Inbox/Support');
  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 1, ignored: 1 });
});
