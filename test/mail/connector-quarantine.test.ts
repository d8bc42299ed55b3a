import test, { type ExecutionContext } from 'ava';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/core/index.ts';
import { createCallCounter, messagePath } from '../../src/graph/index.ts';
import { createQuarantineService, createMessageLedger } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { runJobChild, startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

const ticketRule = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } };
const explode = { name: 'explode', when: "$contains(subject, 'POISON') ? $error('cannot handle this mail') : false", action: 'ignore' };

async function poisonedWorld(t: ExecutionContext): Promise<{ world: MailWorld; root: string; fixRules(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await cp('rules/default.json', join(root, 'rules/default.json'));
  const file = join(root, 'rules/poison.json');
  await writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [explode, ticketRule] }));
  const world = await startMailWorld({ root, ruleSets: { poison: file }, job: { rules: 'poison', limits: { messagesPerRun: 1000, attachmentMaxBytes: 1_000_000, maxAttempts: 1 } } });
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, buildMime({ from: 'b@fabrikam.example', subject: 'POISON pill', body: 'bad', messageId: 'bad@x' }), 'Inbox/Support');
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 1, quarantined: 1 });
  return { world, root, fixRules: () => writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [ticketRule] })) };
}

const serviceOf = (world: MailWorld) => createQuarantineService({ store: world.app.store, clock: world.app.clock, graphFor: world.app.graphFor, findJob: world.app.findJob, runJob: (name) => world.app.runJobNow(name) });

test('quarantined mail is listed with its reason; replayed after a rule fix it becomes exactly one ticket and leaves the failed folder', async (t) => {
  const { world, fixRules } = await poisonedWorld(t);
  const service = serviceOf(world);
  const [listed, ...rest] = await service.list('support');
  t.is(rest.length, 0);
  t.is(listed!.subject, 'POISON pill');
  t.is(listed!.error?.code, 'RULE_EVALUATION_FAILED');
  t.regex(listed!.error?.message ?? '', /cannot handle this mail/);
  t.true(listed!.rawStored, 'the raw MIME is kept for a replay');
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Failed')).map((m) => m.subject), ['POISON pill']);

  const unknown = await t.throwsAsync(service.replay('support', 'support@contoso.example|gid:nope'));
  t.true(isAppError(unknown, 'MAIL_NOT_QUARANTINED'), String(unknown));

  await fixRules();
  const replay = await service.replay('support', listed!.key);
  t.deepEqual(replay.replayed.map((r) => r.from), ['mailbox']);
  t.deepEqual(replay.items.map((i) => i.outcome), ['created']);
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject), ['POISON pill']);
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Processed')).map((m) => m.subject), ['POISON pill']);
  t.deepEqual(await world.control.list(supportMailbox, 'Inbox/Failed'), []);
  t.deepEqual(await service.list('support'), []);
  t.true(isAppError(await t.throwsAsync(service.replay('support', listed!.key)), 'MAIL_NOT_QUARANTINED'), 'a second replay of the same mail is refused');
  t.deepEqual((await world.run(t)).counts, {});
  t.is((await world.app.tickets.listTickets()).length, 1);
});

test('a quarantined mail gone from the mailbox is replayed from its stored raw MIME', async (t) => {
  const { world, fixRules } = await poisonedWorld(t);
  const [failed] = await world.control.list(supportMailbox, 'Inbox/Failed');
  const [entry] = await createMessageLedger(world.db.store).listQuarantined('support', 10);
  const graph = world.app.graphFor('test', createCallCounter());
  // Deleted, then deleted from Deleted Items too: gone for good.
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId }));
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId })).catch(() => undefined);
  t.truthy(failed);
  t.deepEqual(await world.control.list(supportMailbox, 'Inbox/Failed'), []);
  await fixRules();
  const replay = await serviceOf(world).replay('support', null);
  t.deepEqual(replay.replayed.map((r) => r.from), ['raw-mime']);
  t.deepEqual(replay.items.map((i) => i.outcome), ['created']);
  const [ticket] = await world.app.tickets.listTickets();
  t.is(ticket?.subject, 'POISON pill');
  t.regex(ticket?.description ?? '', /bad/);
  t.deepEqual(await serviceOf(world).list(), []);
});

test('a replay killed after any of its writes and run again still makes exactly one ticket', async (t) => {
  const { world, root, fixRules } = await poisonedWorld(t);
  await fixRules();
  const [entry] = await serviceOf(world).list('support');
  const env = { MODE: 'replay', REPLAY_KEY: entry!.key, RULES: 'poison', RULES_ROOT: root };
  let kills = 0;
  let finished = false;
  // Kill points from the replay's own progress: after its 1st, 2nd, 3rd … database write, until one completes.
  for (let k = 1; k <= 30 && !finished; k += 1) {
    const child = await runJobChild(world, { ...env, KILL_AFTER_WRITES: String(k) });
    if (child.killed) kills += 1;
    else finished = true;
  }
  t.true(kills >= 3, `only ${kills} kills landed`);
  // Whatever state the last kill left, the next run (or a replay) finishes the mail.
  await world.run(t);
  const tickets = await world.app.tickets.listTickets();
  t.deepEqual(tickets.map((x) => x.subject), ['POISON pill']);
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Processed')).map((m) => m.subject), ['POISON pill']);
  t.deepEqual(await serviceOf(world).list(), []);
  const [done] = [...(await createMessageLedger(world.db.store).getMany([entry!.key])).values()];
  t.is(done?.status, 'done');
});
