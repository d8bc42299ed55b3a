import test from 'ava';
import { fetch } from 'undici';
import { createTlsDispatcher } from '../../src/auth/index.ts';
import { deleteSubscription } from '../../src/graph/index.ts';
import { collectionNames } from '../../src/store/index.ts';
import { agendaJobNames, describeJobs } from '../../src/scheduler/index.ts';
import { createCallCounter } from '../../src/graph/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { startPushWorld, until, type PushWorld } from './helpers/push-world.ts';

interface EmulatorSubscription { id: string; notificationUrl: string; expirationDateTime: string }

async function subscriptions(world: PushWorld): Promise<EmulatorSubscription[]> {
  return ((await world.control.call('GET', '/_emulator/subscriptions')) as { value: EmulatorSubscription[] }).value;
}

async function pushState(world: PushWorld): Promise<Record<string, unknown> | null> {
  return world.db.store.collection(collectionNames.pushSubscriptions).findOne({ _id: world.job.name } as never);
}

async function agendaEntry(world: PushWorld): Promise<{ nextRunAt: Date | null; repeatInterval: string | null; lockedAt: Date | null } | null> {
  return world.db.store.db.collection('agendaJobs').findOne({ name: agendaJobNames.mail, 'data.job': world.job.name }) as never;
}

function mail(n: number): string {
  return buildMime({ from: `Requester ${n} <requester${n}@fabrikam.example>`, subject: `Printer ${n} is jammed`, body: `Printer ${n} is jammed again.`, messageId: `push-${n}-${Math.random().toString(36).slice(2)}@fabrikam.example` });
}

async function postNotification(world: PushWorld, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${world.baseUrl}/graph/notifications`, {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, dispatcher: createTlsDispatcher(world.emulator.caFile),
  });
  return { status: response.status, text: await response.text() };
}

test.serial('a run creates the subscription through the validation handshake; the clientState is stored only as a hash; a notification wakes the job', async (t) => {
  const world = await startPushWorld();
  t.teardown(() => world.close());
  // A worker as `mailroom start` runs it: the job's first run is due at once and subscribes.
  await world.startWorker('one');
  const [run] = await until('the first run to end', async () => {
    const runs = await world.app.results.list({ job: world.job.name });
    return runs.length === 1 && runs[0]!.endedAt !== null ? runs : undefined;
  });
  t.is(run!.status, 'succeeded');
  t.true(run!.notes.some((n) => /push: subscription .* created/.test(n)), run!.notes.join('\n'));

  const [subscription, ...others] = await subscriptions(world);
  t.is(others.length, 0);
  t.is(subscription!.notificationUrl, `${world.baseUrl}/graph/notifications`);
  const state = await pushState(world);
  t.is(state?.status, 'active');
  t.is(state?.subscriptionId, subscription!.id);
  // The emulator knows the clientState; the database holds only its SHA-256.
  const full = (await world.control.call('GET', '/_emulator/subscriptions')) as { value: { id: string }[] };
  t.is(full.value.length, 1);
  t.regex(String(state?.clientStateHash), /^[0-9a-f]{64}$/);
  t.false(JSON.stringify(state).includes('clientState"'), 'no clientState field in clear');
  // Visible where people look: jobs list, the API's job resource and the console all read describeJobs.
  const [described] = await describeJobs(world.app, [world.job.name]);
  t.like(described?.push, { status: 'active', subscriptionId: subscription!.id, subscriptions: 1, missed: 0 });
  // While push works the job only polls as a safety net.
  t.is((await agendaEntry(world))?.repeatInterval, '15 minutes');

  // The next poll is a minute away (the schedule); the notification brings it forward.
  const before = (await agendaEntry(world))!.nextRunAt!;
  t.true(before.getTime() > Date.now() + 20_000);
  await world.control.deliver(supportMailbox, mail(1), 'Inbox/Support');
  await until('the notification to be recorded', async () => Number((await pushState(world))?.notifications ?? 0) >= 1);
  await until('the ticket, well before the next scheduled poll', async () => (await world.tickets()) === 1, 20_000);
  const runs = await world.app.results.list({ job: world.job.name });
  t.is(runs.length, 2);
  t.true(runs[0]!.startedAt.getTime() < before.getTime());
});

test.serial('an endpoint that fails the handshake gets no subscription: the run still polls and says why push is off', async (t) => {
  const world = await startPushWorld({ basePath: '/nowhere' });
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, mail(2), 'Inbox/Support');
  const run = await world.app.runJobNow(world.job.name);
  t.is(run.counts.created, 1);
  t.true(run.notes.some((n) => n.includes('push: the subscription could not be kept')), run.notes.join('\n'));
  t.is((await subscriptions(world)).length, 0);
  const state = await pushState(world);
  t.is(state?.status, 'failing');
  t.is((state?.lastError as { code: string }).code, 'GRAPH_BAD_REQUEST');
  t.is(state?.failuresInRow, 1);
});

test.serial('renewal before expiry, re-creation after Graph forgot the subscription (404), and each lifecycle event', async (t) => {
  let offsetMs = 0;
  const world = await startPushWorld({ clock: () => new Date(Date.now() + offsetMs) });
  t.teardown(() => world.close());
  await world.app.runJobNow(world.job.name);
  const [first] = await subscriptions(world);

  // 40 hours on: less than half of the 70-hour lifetime is left, so the next run renews.
  offsetMs = 40 * 3600_000;
  const renewed = await world.app.runJobNow(world.job.name);
  t.true(renewed.notes.some((n) => n.startsWith(`push: subscription ${first!.id} renewed`)), renewed.notes.join('\n'));
  const [after] = await subscriptions(world);
  t.is(after!.id, first!.id);
  t.true(Date.parse(after!.expirationDateTime) > Date.parse(first!.expirationDateTime));

  // Graph drops it (deleted behind our back); the next renewal gets 404 and makes a new one.
  await deleteSubscription(world.app.graphFor('test', createCallCounter()), { id: first!.id });
  offsetMs = 80 * 3600_000;
  const recreated = await world.app.runJobNow(world.job.name);
  t.true(recreated.notes.some((n) => n.includes('created (Graph no longer knew the previous one)')), recreated.notes.join('\n'));
  const [second, ...more] = await subscriptions(world);
  t.is(more.length, 0);
  t.not(second!.id, first!.id);

  // missed: counted, and the job is woken to catch up by delta.
  await world.control.call('POST', `/_emulator/subscriptions/${second!.id}/lifecycle`, { lifecycleEvent: 'missed' });
  await until('the missed event', async () => Number((await pushState(world))?.missed ?? 0) === 1);
  // reauthorizationRequired: the next run reauthorizes (and renews).
  await world.control.call('POST', `/_emulator/subscriptions/${second!.id}/lifecycle`, { lifecycleEvent: 'reauthorizationRequired' });
  await until('the reauthorization mark', async () => (await pushState(world))?.status === 'reauthorize');
  const reauthorized = await world.app.runJobNow(world.job.name);
  t.true(reauthorized.notes.some((n) => n === `push: subscription ${second!.id} reauthorized`), reauthorized.notes.join('\n'));
  t.is((await pushState(world))?.status, 'active');
  // subscriptionRemoved: Graph ended it; the next run makes a new one.
  await world.control.call('POST', `/_emulator/subscriptions/${second!.id}/lifecycle`, { lifecycleEvent: 'subscriptionRemoved' });
  await until('the removal mark', async () => (await pushState(world))?.status === 'removed');
  const replaced = await world.app.runJobNow(world.job.name);
  t.true(replaced.notes.some((n) => n.includes('created (Graph removed the previous one)')), replaced.notes.join('\n'));
  const [third, ...rest] = await subscriptions(world);
  t.is(rest.length, 0);
  t.not(third!.id, second!.id);
});

test.serial('a wrong clientState or an unknown subscription is refused (403) and counted; nothing is woken', async (t) => {
  const world = await startPushWorld();
  t.teardown(() => world.close());
  await world.app.runJobNow(world.job.name);
  const [subscription] = await subscriptions(world);
  const forged = await postNotification(world, { value: [{ subscriptionId: subscription!.id, clientState: 'guessed', changeType: 'created', resource: 'Users/x/Messages/y' }] });
  t.is(forged.status, 403);
  t.regex(forged.text, /PUSH_NOTIFICATION_REFUSED/);
  const unknown = await postNotification(world, { value: [{ subscriptionId: 'not-ours', clientState: 'x' }] });
  t.is(unknown.status, 403);
  const state = await pushState(world);
  t.is(state?.refused, 1);
  t.is(state?.notifications, 0);
  const stray = await world.db.store.collection(collectionNames.pushSubscriptions).findOne({ _id: '~unknown' } as never);
  t.is((stray as { refused?: number } | null)?.refused, 1);
  // The validation handshake itself echoes the decoded token as plain text.
  const token = 'Validation: Testing client application reachability for subscription Request-Id: 42';
  const response = await fetch(`${world.baseUrl}/graph/notifications?validationToken=${encodeURIComponent(token)}`, { method: 'POST', body: '', headers: { 'content-type': 'text/plain' }, dispatcher: createTlsDispatcher(world.emulator.caFile) });
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/plain/);
  t.is(await response.text(), token);
});

test.serial('duplicated notifications and two workers: every mail becomes one ticket, runs never overlap, one subscription', async (t) => {
  const world = await startPushWorld({ job: { schedule: '10 minutes' } });
  t.teardown(() => world.close());
  await world.control.call('PUT', '/_emulator/subscriptions/settings', { duplicateRate: 1 });
  await world.startWorker('one');
  await world.startWorker('two');
  // The first run (scheduled at once) subscribes.
  await until('the subscription', async () => (await pushState(world))?.status === 'active');
  for (let n = 0; n < 12; n++) await world.control.deliver(supportMailbox, mail(100 + n), 'Inbox/Support');
  await until('12 tickets', async () => (await world.tickets()) === 12);
  t.is((await subscriptions(world)).length, 1);
  const runs = await until('every run to have ended', async () => {
    const all = await world.app.results.list({ job: world.job.name, limit: 100 });
    return all.every((r) => r.endedAt !== null) ? all : undefined;
  });
  const finished = runs.filter((r) => r.endedAt !== null).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (let i = 1; i < finished.length; i++) t.true(finished[i]!.startedAt.getTime() >= finished[i - 1]!.endedAt!.getTime(), 'runs of one job never overlap');
  const created = runs.reduce((sum, r) => sum + (r.counts.created ?? 0), 0);
  t.is(created, 12);
  t.true(Number((await pushState(world))?.notifications) >= 12);
});

test.serial('the endpoint unreachable for a while: the safety-net poll catches up, nothing lost, nothing twice', async (t) => {
  const world = await startPushWorld({ job: { schedule: '1 second', pollWhenPushHealthy: '2 seconds' } });
  t.teardown(() => world.close());
  await world.startWorker('one');
  await until('the subscription', async () => (await pushState(world))?.status === 'active');
  await world.stopServer();
  for (let n = 0; n < 3; n++) await world.control.deliver(supportMailbox, mail(200 + n), 'Inbox/Support');
  await until('3 tickets from polling alone', async () => (await world.tickets()) === 3);
  t.is((await pushState(world))?.notifications, 0);
  await world.startServer();
  await world.control.deliver(supportMailbox, mail(300), 'Inbox/Support');
  await until('the 4th ticket', async () => (await world.tickets()) === 4);
  // The move to Inbox/Processed follows the ticket's write.
  await until('all four mails moved', async () => (await world.control.list(supportMailbox, 'Inbox/Processed')).length === 4);
  t.deepEqual(await world.control.list(supportMailbox, 'Inbox/Support'), []);
  t.is(await world.tickets(), 4);
});
