import test from 'ava';
import { createMessageLedger } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { runJobChild, startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

test('a mail that kills the process while in flight is known on the next run and quarantined after maxAttempts; it never loops', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  for (const [i, subject] of ['First fine mail', 'POISON that kills the worker', 'Second fine mail', 'Third fine mail'].entries()) {
    await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=2026-11-20T09:0${i}:00Z`,
      buildMime({ from: 'a@fabrikam.example', subject, body: 'x', messageId: `m${i}@x` }), 'message/rfc822');
  }
  // Each run dies the moment the poison mail's in-flight mark is written, as a mail that crashes or hangs the process would.
  const runs: boolean[] = [];
  for (let n = 0; n < 8; n += 1) {
    const child = await runJobChild(world, { KILL_ON_INFLIGHT: 'POISON', MAX_ATTEMPTS: '3' });
    runs.push(child.killed);
    if (!child.killed) {
      t.is(child.result?.status, 'partial', child.output);
      break;
    }
  }
  // In a chunk with others (no attempt counted, it is retried alone), then alone three times: the third run after that quarantines it unevaluated.
  t.deepEqual(runs, [true, true, true, true, false], 'killed a bounded number of times, then quarantined');
  const [entry] = await createMessageLedger(world.db.store).listQuarantined('support', 10);
  t.is(entry?.subject, 'POISON that kills the worker');
  t.is(entry?.attempts, 3);
  t.is(entry?.lastError?.code, 'MAIL_INTERRUPTED');
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Failed')).map((m) => m.subject), ['POISON that kills the worker']);
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject).sort(), ['First fine mail', 'Second fine mail', 'Third fine mail']);
  t.deepEqual((await world.run(t)).counts, {}, 'a later run leaves it alone');
});
