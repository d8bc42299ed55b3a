import test from 'ava';
import { buildMime } from '../helpers/build-mime.ts';
import { assertAccounted, startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

const valueRoute = 'GET /users/{user}/messages/{id}/$value';
const moveRoute = 'POST /users/{user}/messages/{id}/move';
const job = { limits: { messagesPerRun: 1000, attachmentMaxBytes: 20_000_000, maxAttempts: 3 } };

/** Mail received a minute apart (so its order is fixed); the immutable ids the connector asks Graph for. */
async function deliver(world: Awaited<ReturnType<typeof startMailWorld>>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const mime = buildMime({ from: `p${i}@fabrikam.example`, subject: `Request ${i}`, body: `Please help with ${i}.`, messageId: `prefetch-${i}@fabrikam.example` });
    const at = encodeURIComponent(new Date(Date.UTC(2026, 10, 20, 9, i)).toISOString());
    ids.push(((await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=${at}`, mime, 'message/rfc822')) as { immutableId: string }).immutableId);
  }
  return ids;
}

test('the next chunk\'s MIME is fetched while a chunk is worked on; a run stopped then loses nothing and the next run fetches that chunk again', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  // Two chunks of 20 small mails, each fetched in one $batch.
  await deliver(world, 40);
  await world.control.resetStats();
  const stop = new AbortController();
  const first = await world.app.runJobNow(world.job.name, { signal: stop.signal, onProgress: () => stop.abort() });
  t.is(first.status, 'aborted');
  assertAccounted(t, first);
  // The first outcome is recorded after the first chunk's post-actions; by then the second chunk was fetched already.
  t.is(first.counts.seen, 20, JSON.stringify(first.counts));
  const stats = await world.control.stats();
  t.is(stats.byRoute[valueRoute], 40, `both chunks fetched before the first chunk finished: ${JSON.stringify(stats.byRoute)}`);
  t.is(stats.byRoute[moveRoute], 20, 'only the first chunk was moved');

  const second = await world.run(t);
  t.is(second.counts.created, 20);
  const after = await world.control.stats();
  t.is(after.byRoute[valueRoute], 60, 'the mail fetched ahead by the stopped run is fetched again');
  t.is(after.byRoute[moveRoute], 40);
  t.is((await world.app.tickets.listTickets()).length, 40, 'every mail one ticket');
  t.is((await world.control.list(supportMailbox, 'Inbox/Support')).length, 0, 'every mail moved out of the folder');
});

test('a fetch ahead that fails the run fails it where the chunk is reached: the chunk worked on meanwhile is finished first', async (t) => {
  const world = await startMailWorld({ job });
  t.teardown(() => world.close());
  const ids = await deliver(world, 40);
  // Graph down for the last mail (second chunk), beyond every retry: not that mail's fault, so the run stops.
  await world.control.fault({ method: 'GET', path: `${ids[39]!.replace(/=+$/, '').replace(/[^A-Za-z0-9]/g, '.')}[^/]*/\\$value`, status: 503, retryAfter: 0, count: 1000 });
  const first = await world.app.runJobNow(world.job.name);
  t.is(first.status, 'failed');
  t.is(first.error?.code, 'GRAPH_UNAVAILABLE');
  assertAccounted(t, first);
  t.deepEqual(first.counts, { seen: 20, created: 20 }, 'the first chunk is finished: tickets, post-actions, outcomes');
  t.is((await world.control.list(supportMailbox, 'Inbox/Processed')).length, 20);
  await world.control.clearFaults();
  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 20, created: 20 });
  t.is((await world.app.tickets.listTickets()).length, 40);
});
