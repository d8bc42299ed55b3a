import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { errorOf, startApiWorld } from './helpers/api-world.ts';

interface Entry { to: string; status: string; reason: string | null; bounce: { action: string; status: string | null; diagnostic: string | null; permanent: boolean } | null; lastError: { code: string } | null }

test('the API shows a bounced notification and the suppressed address (limits.hardBouncesToSuppress: 1), and lifts it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-bounce-api-'));
  const shipped = JSON.parse(await readFile('rules/notifications.json', 'utf8')) as { limits: Record<string, unknown> };
  const notificationsFile = join(dir, 'notifications.json');
  await writeFile(notificationsFile, JSON.stringify({ ...shipped, limits: { ...shipped.limits, hardBouncesToSuppress: 1 } }));
  const api = await startApiWorld({ notificationsFile });
  t.teardown(async () => { await api.close(); await rm(dir, { recursive: true, force: true }); });
  const reader = await api.token('viewer', ['notifications:read']);
  const agent = await api.token('agent', ['tickets:write', 'jobs:run']);
  const runJob = async (name: string): Promise<void> => void t.is((await api.call('POST', `/api/v1/jobs/${name}/run?wait=true`, { token: agent })).status, 200);

  // The job connects to the empty folder first: mail found on a first connection is backlog and never acknowledged.
  await runJob('support');
  await api.world.control.deliver(supportMailbox, buildMime({ from: 'Zoe <zoe@fabrikam.example>', subject: 'Printer', body: 'Jammed.', messageId: 'req-z1@fabrikam.example' }), 'Inbox/Support');
  await runJob('support');
  await runJob('notify');
  const [ack] = (await api.world.control.sent(supportMailbox)) as unknown as { internetMessageId: string }[];
  const ndr = (await readFile(fileURLToPath(new URL('../../fixtures/mail/bounces/exchange-online-ndr-recipient-not-found.eml', import.meta.url)), 'latin1'))
    .split('mailroom.0123456789abcdef0123456789abcdef@contoso.example').join(ack!.internetMessageId.replace(/^<|>$/g, ''))
    .split('ann@fabrikam.example').join('zoe@fabrikam.example');
  await api.world.control.deliver(supportMailbox, ndr, 'Inbox/Support');
  await runJob('support');

  const listed = await api.call('GET', '/api/v1/notifications?status=bounced', { token: reader });
  t.is(listed.status, 200, listed.text);
  const [bounced] = (listed.json as { notifications: Entry[] }).notifications;
  t.like(bounced, { to: 'zoe@fabrikam.example', status: 'bounced', bounce: { action: 'failed', status: '5.1.10', permanent: true } });
  t.regex(bounced?.bounce?.diagnostic ?? '', /RESOLVER\.ADR\.RecipientNotFound/);

  const suppressions = await api.call('GET', '/api/v1/notifications/suppressions', { token: reader });
  t.like((suppressions.json as { suppressions: unknown[] }).suppressions[0], { address: 'zoe@fabrikam.example', hardBounces: 1, lastBounce: { status: '5.1.10' } });

  // A second request from Zoe: its acknowledgement is recorded as suppressed, with the reason, and not sent.
  await api.world.control.deliver(supportMailbox, buildMime({ from: 'Zoe <zoe@fabrikam.example>', subject: 'Printer again', body: 'Still jammed.', messageId: 'req-z2@fabrikam.example' }), 'Inbox/Support');
  await runJob('support');
  await runJob('notify');
  t.is((await api.world.control.sent(supportMailbox)).length, 1);
  const suppressed = (await api.call('GET', '/api/v1/notifications?status=suppressed', { token: reader })).json as { notifications: Entry[] };
  t.like(suppressed.notifications[0], { to: 'zoe@fabrikam.example', reason: 'bounced', lastError: { code: 'NOTIFY_RECIPIENT_SUPPRESSED' } });

  t.is((await api.call('DELETE', '/api/v1/notifications/suppressions/zoe%40fabrikam.example', { token: reader })).status, 403, 'a reader cannot lift');
  const lifted = await api.call('DELETE', '/api/v1/notifications/suppressions/zoe%40fabrikam.example', { token: agent });
  t.is(lifted.status, 200, lifted.text);
  t.like(lifted.json, { lifted: { address: 'zoe@fabrikam.example', hardBounces: 0, suppressedAt: null } });
  const again = await api.call('DELETE', '/api/v1/notifications/suppressions/zoe%40fabrikam.example', { token: agent });
  t.is(again.status, 404);
  t.is(errorOf(again).code, 'NOTIFY_NOT_SUPPRESSED');
  t.deepEqual((await api.call('GET', '/api/v1/notifications/suppressions', { token: reader })).json, { suppressions: [] });
});
