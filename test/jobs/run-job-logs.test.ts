import { Writable } from 'node:stream';
import test from 'ava';
import { createLogger } from '../../src/log/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { startAlertsWorld, testJob } from '../watch/alerts-world.ts';

/** A JSON-lines logger whose lines the test can read. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({ write(chunk, _encoding, done) { text += String(chunk); done(); } });
  return { logger: createLogger({ level: 'info', format: 'json', stream }), lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('every log line of a mail run carries job, run and mailbox, and the run ends with one summary line at info', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const { logger, lines } = capturingLogger();
  const app = world.app([testJob({ postActions: { markRead: true, flag: false, categories: [] } })], undefined, logger);
  await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: 'One', body: 'x', messageId: 'log-1@x' }), 'Inbox/Support');
  await app.runJobNow('support');
  // An expired delta link makes the connector log a warning of its own in the second run.
  await world.control.fault({ method: 'GET', path: 'messages/delta', status: 410, count: 1 });
  const run = await app.runJobNow('support');
  t.is(run.status, 'succeeded', JSON.stringify(run.error));

  const ofRun = lines().filter((l) => l.run === run._id);
  t.true(ofRun.some((l) => l.level === 'warn' && /delta link expired/.test(String(l.message))), JSON.stringify(ofRun));
  for (const line of ofRun) {
    t.is(line.job, 'support');
    t.is(line.mailbox, supportMailbox);
  }
  const summaries = ofRun.filter((l) => l.level === 'info');
  t.is(summaries.length, 1, JSON.stringify(summaries));
  t.is(summaries[0]!.status, 'succeeded');
  t.is(typeof summaries[0]!.durationMs, 'number');
  t.deepEqual(summaries[0]!.counts, run.counts);
  t.is(summaries[0]!.graphRequests, run.graph.requests);
});
