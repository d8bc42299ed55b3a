import test from 'ava';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallCounter, messagePath } from '../../src/graph/index.ts';
import { createMessageLedger } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox } from '../helpers/mail-world.ts';
import { errorOf, startApiWorld } from './helpers/api-world.ts';

const ticketRule = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } };
const explode = { name: 'explode', when: "$contains(subject, 'POISON') ? $error('cannot handle this mail') : false", action: 'ignore' };

test('quarantined mail is listed with its reason and, replayed after a rule fix, becomes exactly one ticket', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-http-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await cp('rules/default.json', join(root, 'rules/default.json'));
  const file = join(root, 'rules/poison.json');
  await writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [explode, ticketRule] }));
  const api = await startApiWorld({ mail: { root, ruleSets: { poison: file }, job: { rules: 'poison', limits: { messagesPerRun: 1000, attachmentMaxBytes: 1_000_000, maxAttempts: 1 } } } });
  t.teardown(() => api.close());
  const operator = await api.token('operator', ['jobs:read', 'jobs:run', 'quarantine:replay', 'tickets:read']);
  const viewer = await api.token('viewer', ['jobs:read']);
  for (const n of [1, 2]) await api.world.control.deliver(supportMailbox, buildMime({ from: 'b@fabrikam.example', subject: `POISON pill ${n}`, body: 'bad', messageId: `bad-${n}@x` }), 'Inbox/Support');
  const first = await api.call('POST', '/api/v1/jobs/support/run?wait=true', { token: operator });
  t.like(first.json, { counts: { quarantined: 2 } });

  const listed = await api.call('GET', '/api/v1/jobs/support/quarantine', { token: viewer });
  t.is(listed.status, 200, listed.text);
  const mail = (listed.json as { mail: { key: string; subject: string; error: { code: string; message: string }; rawStored: boolean }[] }).mail;
  t.deepEqual(mail.map((m) => m.subject).sort(), ['POISON pill 1', 'POISON pill 2']);
  t.true(mail.every((m) => m.error.code === 'RULE_EVALUATION_FAILED' && m.rawStored));

  t.is((await api.call('POST', `/api/v1/jobs/support/quarantine/${encodeURIComponent(mail[0]!.key)}/replay`, { token: viewer })).status, 403, 'a reader may not replay');
  const notQuarantined = await api.call('POST', `/api/v1/jobs/support/quarantine/${encodeURIComponent('support@contoso.example|gid:nope')}/replay`, { token: operator });
  t.is(notQuarantined.status, 409);
  t.is(errorOf(notQuarantined).code, 'MAIL_NOT_QUARANTINED');
  t.is((await api.call('GET', '/api/v1/jobs/nope/quarantine', { token: viewer })).status, 404);
  const notMail = await api.call('GET', '/api/v1/jobs/notify/quarantine', { token: viewer });
  t.is(notMail.status, 400);

  await writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [ticketRule] }));
  const one = await api.call('POST', `/api/v1/jobs/support/quarantine/${encodeURIComponent(mail[0]!.key)}/replay`, { token: operator });
  t.is(one.status, 200, one.text);
  t.like(one.json, { replayed: [{ key: mail[0]!.key, from: 'mailbox' }], items: [{ outcome: 'created' }] });
  const again = await api.call('POST', `/api/v1/jobs/support/quarantine/${encodeURIComponent(mail[0]!.key)}/replay`, { token: operator });
  t.is(again.status, 409, 'a second replay of the same mail is refused');
  const rest = await api.call('POST', '/api/v1/jobs/support/quarantine/replay-all', { token: operator });
  t.is(rest.status, 200, rest.text);
  t.deepEqual((rest.json as { items: { outcome: string }[] }).items.map((i) => i.outcome), ['created']);
  const tickets = await api.call('GET', '/api/v1/tickets?text=POISON', { token: operator });
  t.deepEqual((tickets.json as { tickets: { subject: string }[] }).tickets.map((x) => x.subject).sort(), ['POISON pill 1', 'POISON pill 2']);
  t.deepEqual((await api.call('GET', '/api/v1/jobs/support/quarantine', { token: viewer })).json, { mail: [] });
});

test('replaying a mail Graph could not convert, gone from the mailbox, answers that it came from the stand-in, with the warning on its line', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-http-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'rules'));
  const file = join(root, 'rules/hold.json');
  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [{ name: 'hold', when: '$isEncrypted()', action: 'quarantine', fields: { reason: '"encrypted"' } }, ticketRule] }));
  const api = await startApiWorld({ mail: { root, ruleSets: { hold: file }, job: { rules: 'hold' } } });
  t.teardown(() => api.close());
  const operator = await api.token('operator', ['jobs:read', 'jobs:run', 'quarantine:replay']);
  const mime = buildMime({ from: 'Rita <rita@fabrikam.example>', subject: 'Protected', body: 'IRM body.', messageId: 'irm-api@fabrikam.example' });
  await api.world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&unconvertible=true`, mime, 'message/rfc822');
  t.like((await api.call('POST', '/api/v1/jobs/support/run?wait=true', { token: operator })).json, { counts: { quarantined: 1 } });
  const [entry] = await createMessageLedger(api.world.db.store).listQuarantined('support', 10);
  const graph = api.app.graphFor('test', createCallCounter());
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId }));
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId })).catch(() => undefined);

  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [ticketRule] }));
  const replay = await api.call('POST', `/api/v1/jobs/support/quarantine/${encodeURIComponent(entry!._id)}/replay`, { token: operator });
  t.is(replay.status, 200, replay.text);
  t.like(replay.json, { replayed: [{ key: entry!._id, from: 'stand-in' }], items: [{ outcome: 'created' }] });
  const [line] = (replay.json as { items: { warnings?: string[] }[] }).items;
  t.regex(line!.warnings?.[0] ?? '', /^replayed from the stand-in kept in place of its MIME/);
});
