import test from 'ava';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { errorOf, startApiWorld, type ApiWorld } from './helpers/api-world.ts';

let api: ApiWorld;
let admin: string;
let reader: string;

test.before(async () => {
  api = await startApiWorld();
  admin = await api.token('ops', ['jobs:read', 'jobs:run', 'jobs:manage', 'connections:test', 'notifications:read', 'tickets:read']);
  reader = await api.token('viewer', ['jobs:read', 'notifications:read']);
});
test.after.always(async () => {
  await api?.close();
});

interface RunJson { id: string; job: string; status: string; counts: Record<string, number> }

test.serial('run now with wait runs the mail job here; its runs and lines are paged', async (t) => {
  for (const n of [1, 2, 3]) {
    await api.world.control.deliver(supportMailbox, buildMime({ from: `Requester ${n} <r${n}@fabrikam.example>`, subject: `Request ${n}`, body: `Please help ${n}.`, messageId: `req-${n}@fabrikam.example` }), 'Inbox/Support');
  }
  const ran = await api.call('POST', '/api/v1/jobs/support/run?wait=true', { token: admin });
  t.is(ran.status, 200, ran.text);
  const run = ran.json as RunJson;
  t.like(run, { job: 'support', status: 'succeeded', counts: { created: 3 } });
  const again = await api.call('POST', '/api/v1/jobs/support/run?wait=true', { token: admin });
  t.is(again.status, 200);

  const page1 = await api.call('GET', '/api/v1/jobs/support/runs?limit=1', { token: reader });
  const p1 = page1.json as { runs: RunJson[]; nextCursor: string };
  t.is(p1.runs.length, 1);
  t.is(p1.runs[0]!.id, (again.json as RunJson).id, 'newest first');
  const page2 = await api.call('GET', `/api/v1/jobs/support/runs?limit=1&cursor=${p1.nextCursor}`, { token: reader });
  const p2 = page2.json as { runs: RunJson[]; nextCursor: string | null };
  t.deepEqual(p2.runs.map((r) => r.id), [run.id]);
  t.is(p2.nextCursor, null);
  t.deepEqual((await api.call('GET', '/api/v1/jobs/support/runs?status=failed', { token: reader })).json, { runs: [], nextCursor: null });

  const one = await api.call('GET', `/api/v1/runs/${run.id}`, { token: reader });
  t.like(one.json, { id: run.id, counts: { created: 3 } });
  const lines = await api.call('GET', `/api/v1/runs/${run.id}/items?limit=2`, { token: reader });
  const l1 = lines.json as { items: { outcome: string; subject: string; target: string }[]; total: number; nextOffset: number };
  t.is(l1.total, 3);
  t.is(l1.items.length, 2);
  t.is(l1.nextOffset, 2);
  const rest = await api.call('GET', `/api/v1/runs/${run.id}/items?offset=2`, { token: reader });
  const all = [...l1.items, ...(rest.json as typeof l1).items];
  t.deepEqual(all.map((i) => i.subject).sort(), ['Request 1', 'Request 2', 'Request 3']);
  t.true(all.every((i) => i.outcome === 'created' && /^#\d+$/.test(i.target)));

  const jobs = await api.call('GET', '/api/v1/jobs', { token: reader });
  const listed = (jobs.json as { jobs: { name: string; failuresInRow: number; lastRun: { id: string }; enabled: boolean; backlog: unknown }[] }).jobs;
  const support = listed.find((j) => j.name === 'support');
  t.like(support, { failuresInRow: 0, enabled: true, lastRun: { id: (again.json as RunJson).id } });
  // The world's job counts as connected before the backlog setting existed: none of its mail is backlog.
  t.deepEqual(support?.backlog, { backlog: 'import', since: 'all', state: 'before-backlog', firstConnectedAt: null, skipsBefore: null });
  t.is(listed.find((j) => j.name === 'notify')?.backlog, null, 'only mail jobs have a backlog');
});

test.serial('disable and enable change the job; a disabled job cannot be queued (409); run is refused to a reader (403)', async (t) => {
  const off = await api.call('POST', '/api/v1/jobs/support/disable', { token: admin });
  t.is(off.status, 200);
  t.like(off.json, { name: 'support', enabled: false, override: 'disabled' });
  const queued = await api.call('POST', '/api/v1/jobs/support/run', { token: admin });
  t.is(queued.status, 409);
  t.is(errorOf(queued).code, 'API_CONFLICT');
  const on = await api.call('POST', '/api/v1/jobs/support/enable', { token: admin });
  t.like(on.json, { enabled: true, override: 'enabled' });
  const queuedNow = await api.call('POST', '/api/v1/jobs/support/run', { token: admin });
  t.is(queuedNow.status, 202);
  t.deepEqual(queuedNow.json, { queued: 'support' });
  const state = await api.call('GET', '/api/v1/jobs/support', { token: reader });
  t.truthy((state.json as { nextRunAt: string | null }).nextRunAt, 'the workers find it due');
  const asReader = await api.call('POST', '/api/v1/jobs/support/run?wait=true', { token: reader });
  t.is(asReader.status, 403);
  t.is((await api.call('POST', '/api/v1/jobs/support/disable', { token: reader })).status, 403);
});

test('unknown jobs and runs answer 404, bad parameters 400', async (t) => {
  const job = await api.call('GET', '/api/v1/jobs/nope', { token: reader });
  t.is(job.status, 404);
  t.is(errorOf(job).code, 'JOB_NOT_FOUND');
  t.is((await api.call('POST', '/api/v1/jobs/nope/run?wait=true', { token: admin })).status, 404);
  t.is((await api.call('POST', '/api/v1/jobs/nope/enable', { token: admin })).status, 404);
  t.is((await api.call('GET', '/api/v1/jobs/nope/runs', { token: reader })).status, 404);
  const run = await api.call('GET', '/api/v1/runs/20260101000000-deadbeef', { token: reader });
  t.is(run.status, 404);
  t.is(errorOf(run).code, 'JOB_RUN_NOT_FOUND');
  t.is((await api.call('GET', '/api/v1/runs/20260101000000-deadbeef/items', { token: reader })).status, 404);
  const wait = await api.call('POST', '/api/v1/jobs/support/run?wait=maybe', { token: admin });
  t.is(wait.status, 400);
  t.like(errorOf(wait).details, { in: 'querystring', pointer: '/wait' });
  const status = await api.call('GET', '/api/v1/jobs/support/runs?status=done', { token: reader });
  t.like(errorOf(status).details, { pointer: '/status' });
  t.is((await api.call('GET', '/api/v1/jobs')).status, 401);
});

test('a connection test runs the same checks as the CLI and names each step', async (t) => {
  const list = await api.call('GET', '/api/v1/connections', { token: reader });
  t.like((list.json as { connections: unknown[] }).connections[0], { name: 'test', credential: 'client-secret', jobs: ['support', 'notify'] });
  t.false(list.text.includes('test~secret'), 'no secret in the answer');
  const result = await api.call('POST', '/api/v1/connections/test/test', { token: admin, body: {} });
  t.is(result.status, 200, result.text);
  const report = result.json as { ok: boolean; steps: { step: string; status: string }[] };
  t.true(report.ok, result.text);
  t.deepEqual(report.steps.filter((s) => s.step === 'token').map((s) => s.status), ['ok']);
  const folder = await api.call('POST', '/api/v1/connections/test/test', { token: admin, body: { mailbox: supportMailbox, folder: 'Inbox/Nowhere' } });
  const failed = folder.json as { ok: boolean; steps: { step: string; status: string; code?: string }[] };
  t.false(failed.ok);
  t.like(failed.steps.find((s) => s.step === 'folder'), { status: 'fail', code: 'GRAPH_FOLDER_NOT_FOUND' });
  t.is((await api.call('POST', '/api/v1/connections/nope/test', { token: admin, body: {} })).status, 404);
  t.is((await api.call('POST', '/api/v1/connections/test/test', { token: reader, body: {} })).status, 403);
  const bad = await api.call('POST', '/api/v1/connections/test/test', { token: admin, body: { mailbx: 'x' } });
  t.like(errorOf(bad).details, { pointer: '/mailbx' });
});

test.serial('the outbox lists notifications with their status', async (t) => {
  await api.app.tickets.createTicket({ createdFrom: 'mail:outbox', requester: { address: 'zoe@fabrikam.example', name: 'Zoe' }, subject: 'Outbox please', description: '.' });
  const run = await api.call('POST', '/api/v1/jobs/notify/run?wait=true', { token: admin });
  t.is(run.status, 200, run.text);
  const sent = await api.call('GET', '/api/v1/notifications?status=sent', { token: reader });
  const entries = (sent.json as { notifications: { to: string; status: string; rule: string }[] }).notifications;
  t.true(entries.some((e) => e.to === 'zoe@fabrikam.example' && e.rule === 'acknowledge-new-ticket'));
  t.true(entries.every((e) => e.status === 'sent'));
  const bad = await api.call('GET', '/api/v1/notifications?status=lost', { token: reader });
  t.is(bad.status, 400);
  t.is((await api.call('GET', '/api/v1/notifications', { token: await api.token('no-scope', ['tickets:read']) })).status, 403);
});
