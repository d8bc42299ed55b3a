import test from 'ava';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAppError } from '../../src/core/index.ts';
import { checkTenant, startEmulator } from '../../src/emulator/index.ts';
import { deliver, simpleMime, startTestEmulator } from './helpers/trusted-clients.ts';

// Tenant files (JSON Schema + cross references), state files, the cached CA and reset.
const demoFile = new URL('../../fixtures/tenants/demo.json', import.meta.url);

test('the demo tenant is valid and has what the demo relies on', async (t) => {
  const demo = JSON.parse(await readFile(demoFile, 'utf8')) as { users: { userPrincipalName: string; mailbox?: unknown }[]; rooms: unknown[]; applications: { adminConsent: boolean }[] };
  t.deepEqual(checkTenant(demo, 'demo.json'), []);
  const upns = demo.users.map((u) => u.userPrincipalName);
  for (const upn of ['alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example', 'support@contoso.example', 'purchasing@contoso.example']) t.true(upns.includes(upn));
  t.is(demo.rooms.length, 2);
  t.true(demo.applications.some((a) => !a.adminConsent));
});

test('a broken tenant file is reported with the file and a JSON pointer per problem', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailroom-tenant-'));
  try {
    const demo = JSON.parse(await readFile(demoFile, 'utf8')) as Record<string, unknown> & { users: Record<string, unknown>[]; roomLists: { rooms: string[] }[] };
    demo.users[1] = { ...demo.users[1], shoeSize: 42 };
    demo.roomLists[0]?.rooms.push('room-9@contoso.example');
    const file = path.join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(demo));
    const schemaProblems = checkTenant(demo, file);
    t.deepEqual(schemaProblems.map((p) => p.pointer), ['/users/1/shoeSize']);
    delete (demo.users[1] as Record<string, unknown>).shoeSize;
    t.deepEqual(checkTenant(demo, file).map((p) => [p.file, p.pointer]), [[file, '/roomLists/0/rooms/2']]);
    await writeFile(file, JSON.stringify(demo));
    const error = await t.throwsAsync(startEmulator({ tenantFile: file, stateDir: dir, port: 0 }));
    t.true(isAppError(error, 'CONFIG_INVALID'));
    t.true(error.message.includes(`${file}#/roomLists/0/rooms/2`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('start writes client-secret (0600) and state.json; the CA is reused from the state folder; reset reloads the tenant', async (t) => {
  const first = await startTestEmulator();
  let caPem = '';
  try {
    const secretFile = path.join(first.stateDir, 'client-secret');
    t.is(await readFile(secretFile, 'utf8'), first.clientSecret);
    t.is((await stat(secretFile)).mode & 0o777, 0o600);
    const state = JSON.parse(await readFile(path.join(first.stateDir, 'state.json'), 'utf8')) as Record<string, string>;
    t.deepEqual(state, { url: first.url, tenantId: first.tenantId, clientId: first.clientId, caFile: first.caFile });
    t.regex(first.url, /^https:\/\/localhost:\d+$/);
    caPem = first.caPem;
    const again = await startEmulator({ port: 0, stateDir: first.stateDir });
    t.is(again.caPem, caPem, 'a client that trusted the CA keeps working after a restart');
    await again.close();
    await deliver(first, 'purchasing@contoso.example', 'Inbox', simpleMime('before reset', { to: 'purchasing@contoso.example' }));
    const count = async (): Promise<number> => ((await (await first.fetch(`${first.url}/_emulator/mailboxes/purchasing@contoso.example/messages?folder=Inbox`)).json()) as { value: unknown[] }).value.length;
    const before = await count();
    t.is((await first.fetch(`${first.url}/_emulator/reset`, { method: 'POST' })).status, 200);
    t.is(await count(), before - 1);
    const stats = (await (await first.fetch(`${first.url}/_emulator/stats`)).json()) as { requests: number };
    t.is(stats.requests, 0);
  } finally {
    await first.stop();
  }
});
