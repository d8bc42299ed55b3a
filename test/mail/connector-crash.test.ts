import test from 'ava';
import { collectionNames } from '../../src/store/index.ts';
import type { LedgerEntry } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { assertAccounted, runJobChild, startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

/** One wave of mail: requests (some delivered twice), replies to them, auto-replies. */
const WAVE = { requests: 20, duplicates: 4, replies: 6, autoReplies: 4 };

test('a job killed after its k-th database write at 20+ points and restarted ends with every mail\'s outcome recorded once', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  let second = 0;
  const deliver = (mime: string): Promise<unknown> => {
    second += 1;
    const at = new Date(Date.UTC(2026, 10, 20, 8, 0, 0) + second * 1000).toISOString();
    return world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=${at}`, mime, 'message/rfc822');
  };
  let waves = 0;
  async function deliverWave(): Promise<void> {
    const w = waves++;
    for (let i = 0; i < WAVE.requests; i += 1) {
      const mime = buildMime({ from: `user${i % 17}@fabrikam.example`, subject: `Request ${w}.${i}: something is broken`, body: `Details of request ${w}.${i}.`, messageId: `req-${w}-${i}@fabrikam.example` });
      await deliver(mime);
      // The same mail delivered a second time (to another address of the mailbox): a duplicate.
      if (i < WAVE.duplicates) await deliver(`Delivered-To: helpdesk@contoso.example\r\n${mime}`);
    }
    for (let i = 0; i < WAVE.replies; i += 1) {
      await deliver(buildMime({ from: `user${i % 17}@fabrikam.example`, subject: `Re: Request ${w}.${i}: something is broken`, body: `More about request ${w}.${i}.`, messageId: `reply-${w}-${i}@fabrikam.example`, inReplyTo: `req-${w}-${i}@fabrikam.example`, references: [`req-${w}-${i}@fabrikam.example`] }));
    }
    for (let i = 0; i < WAVE.autoReplies; i += 1) {
      await deliver(buildMime({ from: `user${i}@fabrikam.example`, subject: `Automatic reply: Request ${w}.${i}`, body: 'I am out of office.', messageId: `oof-${w}-${i}@fabrikam.example`, headers: { 'Auto-Submitted': 'auto-replied' } }));
    }
  }
  await deliverWave();
  await deliverWave();

  // Kill points from the run's own progress: right after its k-th database write, k spread over start-up, the
  // in-flight marks, files, tickets, comments, thread links, the post-actions' ledger writes and the run records.
  // When a run gets through before its kill point, a new wave of mail arrives, so every kill point lands in work.
  // A high maxAttempts: this test is about durability; interrupted mail counting towards quarantine has its own test.
  let kills = 0;
  for (let attempt = 0; attempt < 60 && kills < 22; attempt += 1) {
    const k = 1 + ((attempt * 7) % 29);
    const child = await runJobChild(world, { KILL_AFTER_WRITES: String(k), MAX_ATTEMPTS: '100' });
    if (child.killed) kills += 1;
    else {
      t.regex(child.result?.status ?? '', /succeeded|partial/, child.output);
      await deliverWave();
    }
  }
  const final = await runJobChild(world, { MAX_ATTEMPTS: '100' });
  t.regex(final.result?.status ?? '', /succeeded|partial/, final.output);
  t.true(kills >= 20, `only ${kills} kills landed`);
  const REQUESTS = waves * WAVE.requests;
  const DUPLICATES = waves * WAVE.duplicates;
  const REPLIES = waves * WAVE.replies;
  const AUTO_REPLIES = waves * WAVE.autoReplies;
  const total = REQUESTS + DUPLICATES + REPLIES + AUTO_REPLIES;

  const tickets = await world.app.tickets.listTickets({ limit: 1000 });
  t.is(tickets.length, REQUESTS);
  t.is(new Set(tickets.map((x) => x.createdFrom)).size, REQUESTS);
  let comments = 0;
  for (const ticket of tickets) comments += (await world.app.tickets.listComments(ticket.number)).length;
  t.is(comments, REPLIES);
  t.is((await world.control.list(supportMailbox, 'Inbox/Support')).length, 0, 'every mail ends up processed and moved');
  t.is((await world.control.list(supportMailbox, 'Inbox/Processed')).length, total);

  // Every mail has exactly one final outcome in the ledger.
  const entries = await world.db.store.collection<LedgerEntry>(collectionNames.mailLedger).find({ job: 'support' }).toArray();
  t.is(entries.length, total);
  t.deepEqual([...new Set(entries.map((e) => e.status))], ['done']);
  const byAction = new Map<string, number>();
  for (const e of entries) byAction.set(e.outcome?.action ?? '?', (byAction.get(e.outcome?.action ?? '?') ?? 0) + 1);
  t.deepEqual(Object.fromEntries([...byAction].sort()), { 'added-comment': REPLIES, 'created-ticket': REQUESTS, duplicate: DUPLICATES, ignored: AUTO_REPLIES });

  // Every run record, killed or not, reconciles: seen is the sum of its outcomes at every flush.
  const runs = await world.app.results.list({ job: 'support', limit: 100 });
  t.true(runs.length > kills);
  for (const summary of runs) assertAccounted(t, await world.app.results.get(summary._id));
});
