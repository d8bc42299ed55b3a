import test from 'ava';
import type { Client } from '@microsoft/microsoft-graph-client';
import { type TestEmulator, startAppClient } from './helpers/trusted-clients.ts';

// Exchange throttling per app + mailbox and injected faults (graph-behaviour.md §7; checklist 15).
let emulator: TestEmulator;
let token: string;
let client: Client;

test.before(async () => {
  ({ emulator, token, client } = await startAppClient({ throttle: { requestsPerWindow: 8, windowMs: 60_000 }, latencyMs: 300 }));
});
test.after.always(async () => {
  await emulator.stop();
});

/** A plain HTTPS call with the bearer, so that no SDK retry hides a 429. */
async function get(path: string): Promise<{ status: number; retryAfter: string | null; code: string | undefined }> {
  const response = await emulator.fetch(`${emulator.url}/v1.0${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = response.status === 200 ? undefined : ((await response.json()) as { error: { code: string } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body?.error.code };
}

test.serial('checklist 15: more than 4 concurrent requests to one mailbox get 429 ApplicationThrottled with Retry-After; another mailbox is not affected', async (t) => {
  // Open the connections first, so that all seven requests below are in flight together even on a slow machine.
  await Promise.all(Array.from({ length: 7 }, () => emulator.fetch(`${emulator.url}/_emulator`).then((r) => r.arrayBuffer())));
  const results = await Promise.all([
    ...Array.from({ length: 6 }, () => get('/users/alice@contoso.example/mailFolders/inbox')),
    get('/users/bob@contoso.example/mailFolders/inbox'),
  ]);
  const alice = results.slice(0, 6);
  t.is(alice.filter((r) => r.status === 200).length, 4);
  const throttled = alice.filter((r) => r.status === 429);
  t.is(throttled.length, 2);
  t.is(throttled[0]?.code, 'ApplicationThrottled');
  t.truthy(throttled[0]?.retryAfter);
  t.is(results[6]?.status, 200);
});

test.serial('checklist 15: the request budget per window is per app + mailbox and answers 429 with the seconds left in the window', async (t) => {
  for (let i = 0; i < 8; i++) t.is((await get('/users/carol@contoso.example/mailFolders/inbox')).status, 200);
  const over = await get('/users/carol@contoso.example/mailFolders/inbox');
  t.is(over.status, 429);
  t.is(over.code, 'ApplicationThrottled');
  t.true(Number(over.retryAfter) > 30 && Number(over.retryAfter) <= 60);
  t.is((await get('/users/purchasing@contoso.example/mailFolders/inbox')).status, 200);
  const batch = (await client.api('/$batch').post({ requests: Array.from({ length: 3 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users/carol@contoso.example/mailFolders/inbox' })) })) as { responses: { status: number; headers: Record<string, string> }[] };
  t.true(batch.responses.every((r) => r.status === 429 && r.headers['Retry-After'] !== undefined));
});

test.serial('faults: count, mailbox and method filters; the SDK retry handler rides out 503 with Retry-After 0; 410 is SyncStateNotFound', async (t) => {
  const control = (method: string, path: string, body?: unknown): Promise<Response> =>
    emulator.fetch(`${emulator.url}/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  t.is((await control('POST', '/faults', { status: 418 })).status, 400);
  await control('POST', '/faults', { method: 'GET', path: '/mailFolders/inbox$', mailbox: 'purchasing@contoso.example', status: 503, retryAfter: 0, count: 2 });
  t.is((await get('/users/support@contoso.example/mailFolders/inbox')).status, 200, 'other mailboxes are untouched');
  await control('DELETE', '/stats');
  const folder = (await client.api('/users/purchasing@contoso.example/mailFolders/inbox').get()) as { displayName: string };
  t.is(folder.displayName, 'Posteingang');
  const stats = (await (await control('GET', '/stats')).json()) as { operations: number; byRoute: Record<string, number> };
  t.is(stats.byRoute['GET /users/{user}/mailFolders/{folder}'], 3, 'two injected 503s, then the real answer');
  await control('POST', '/faults', { path: '/messages/delta', status: 410 });
  const gone = await get('/users/purchasing@contoso.example/mailFolders/inbox/messages/delta');
  t.is(gone.status, 410);
  t.is(gone.code, 'SyncStateNotFound');
  await control('POST', '/faults', { path: '/users/support@contoso.example/mailFolders/drafts', status: 504, rate: 1 });
  t.is((await get('/users/support@contoso.example/mailFolders/drafts')).status, 504);
  t.is((await get('/users/support@contoso.example/mailFolders/drafts')).status, 504);
  const listed = (await (await control('GET', '/faults')).json()) as { value: { status: number; hits: number }[] };
  t.is(listed.value.find((f) => f.status === 504)?.hits, 2);
  await control('DELETE', '/faults');
  t.is((await get('/users/support@contoso.example/mailFolders/drafts')).status, 200);
});
