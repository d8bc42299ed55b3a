import test from 'ava';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createHttpServer } from '../../src/http/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore, startTestDatabase } from '../../src/store/index.ts';
import { clientId, secretValue, supportMailbox, tenantId } from '../helpers/mail-world.ts';
import { binPath, runCli } from '../helpers/run-cli.ts';

async function project(t: { teardown(fn: () => Promise<void>): void }): Promise<{ dir: string; env: Record<string, string>; uri: string; dbName: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-http-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp('rules/default.json', join(dir, 'rules/default.json'));
  await mkdir(join(dir, 'schedules'));
  await writeFile(join(dir, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', enabled: false }],
    http: { port: 0 },
  }));
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  return { dir, uri: db.uri, dbName: db.dbName, env: { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName } };
}

test('api-tokens create prints the token once; the API takes it; revoke refuses it; list shows its last use', async (t) => {
  const p = await project(t);
  const cli = (args: string[]) => runCli(args, { cwd: p.dir, env: p.env, timeoutMs: 120_000 });
  const created = await cli(['api-tokens', 'create', '--name', 'helpdesk-sync', '--scopes', 'tickets:read,jobs:read']);
  t.is(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  t.regex(token, /^mrt_[A-Za-z0-9_-]{43}$/);
  const bad = await cli(['api-tokens', 'create', '--name', 'x', '--scopes', 'tickets:everything']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /unknown scope\(s\): tickets:everything/);
  const duplicate = await cli(['api-tokens', 'create', '--name', 'helpdesk-sync', '--scopes', 'tickets:read']);
  t.regex(duplicate.stderr, /API_CONFLICT/);

  const config = await loadConfig({ root: p.dir, env: p.env });
  const store = await openStore({ uri: p.uri, dbName: p.dbName, logger: createSilentLogger() });
  t.teardown(() => store.close());
  const server = await createHttpServer(createApp({ config, store, logger: createSilentLogger() }));
  const url = await server.listen();
  t.teardown(() => server.close());
  const me = await fetch(`${url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
  t.is(me.status, 200);
  t.like(await me.json(), { kind: 'token', name: 'helpdesk-sync' });

  const listed = JSON.parse((await cli(['api-tokens', 'list', '--json'])).stdout) as { name: string; lastUsedAt: string | null; revokedAt: string | null; hash?: string }[];
  t.truthy(listed[0]!.lastUsedAt);
  t.is(listed[0]!.hash, undefined, 'the hash is not shown either');
  t.false(JSON.stringify(listed).includes(token));
  t.is((await cli(['api-tokens', 'revoke', 'helpdesk-sync'])).code, 0);
  t.is((await fetch(`${url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
  t.is((await cli(['api-tokens', 'revoke', 'nobody'])).code, 2);
});

test('tickets update changes a ticket through the same service and records its events', async (t) => {
  const p = await project(t);
  const store = await openStore({ uri: p.uri, dbName: p.dbName, logger: createSilentLogger() });
  t.teardown(() => store.close());
  const app = createApp({ config: await loadConfig({ root: p.dir, env: p.env }), store, logger: createSilentLogger() });
  const { ticket } = await app.tickets.createTicket({ createdFrom: 'cli:1', requester: null, subject: 'Desk lamp', description: '.' });
  const cli = (args: string[]) => runCli(args, { cwd: p.dir, env: p.env, timeoutMs: 120_000 });
  const updated = await cli(['tickets', 'update', `#${ticket.number}`, '--status', 'open', '--assignee', 'carol@contoso.example', '--field', 'site=Berlin', '--json']);
  t.is(updated.code, 0, updated.stderr);
  t.like(JSON.parse(updated.stdout), { status: 'open', assignee: 'carol@contoso.example', fields: { site: 'Berlin' } });
  const events = await store.collection('ticket_events').find({ ticketNumber: ticket.number }).toArray();
  t.deepEqual(events.map((e) => e.type as string).sort(), ['ticket.assigned', 'ticket.created', 'ticket.status-changed']);
  const wrong = await cli(['tickets', 'update', String(ticket.number), '--status', 'done']);
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /--status must be one of/);
  t.is((await cli(['tickets', 'update', '999999', '--status', 'open'])).code, 2);
  t.is((await cli(['tickets', 'update', String(ticket.number)])).code, 2, 'nothing to change');
});

test('mailroom serve prints a one-time sign-in link that works, and stops on SIGTERM', async (t) => {
  const p = await project(t);
  const child = spawn(process.execPath, [binPath, 'serve'], { cwd: p.dir, env: { ...process.env, ...p.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const link = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const found = /(http:\/\/127\.0\.0\.1:\d+\/auth\/one-time\?token=\S+)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
  });
  const first = await fetch(link, { redirect: 'manual' });
  t.is(first.status, 303);
  t.truthy(first.headers.getSetCookie().find((c) => c.startsWith('mailroom_session=')));
  t.is((await fetch(link, { redirect: 'manual' })).status, 401);
  t.false(stderr.includes(new URL(link).searchParams.get('token')!), 'the link is not logged');
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});
