import test from 'ava';
import { BatchRequestContent, BatchResponseContent, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { appToken, createGraphClient, deliver, simpleMime, startTestEmulator, type TestEmulator, startAppClient } from './helpers/trusted-clients.ts';

// Message delta and JSON batching with the real graph-client (graph-behaviour.md §4.6, §6; checklist 3, 11, 14).
const SUPPORT = 'support@contoso.example';
let emulator: TestEmulator;
let client: Client;

test.before(async () => {
  ({ emulator, client } = await startAppClient());
});
test.after.always(async () => {
  await emulator.stop();
});

interface DeltaPage {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

async function freshFolder(name: string, count: number): Promise<{ id: string; delivered: { id: string }[] }> {
  const folder = (await client.api(`/users/${SUPPORT}/mailFolders/inbox/childFolders`).post({ displayName: name })) as { id: string };
  const delivered = [];
  for (let i = 0; i < count; i++) delivered.push(await deliver(emulator, SUPPORT, `Inbox/${name}`, simpleMime(`${name} ${i}`)));
  return { id: folder.id, delivered };
}

/** Runs one delta round from `start`, checking the one-link rule on every page. */
async function round(t: { true: (v: boolean, m?: string) => void; regex: (s: string, r: RegExp) => void }, start: string, pageSize: number): Promise<{ items: Record<string, unknown>[]; deltaLink: string; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let link = start;
  let pages = 0;
  for (;;) {
    const page = (await client.api(link).header('Prefer', `odata.maxpagesize=${pageSize}`).get()) as DeltaPage;
    pages++;
    const next = page['@odata.nextLink'];
    const delta = page['@odata.deltaLink'];
    t.true((next === undefined) !== (delta === undefined), 'exactly one of nextLink and deltaLink');
    t.regex(next ?? delta ?? '', /^https:\/\/localhost:\d+\/v1\.0\//);
    t.true(page.value.length <= pageSize);
    items.push(...page.value);
    if (delta !== undefined) return { items, deltaLink: delta, pages };
    link = next ?? '';
  }
}

test('checklist 3 and 11: delta pages honour maxpagesize, carry exactly one absolute https link that keeps $select, then report created, updated and @removed', async (t) => {
  const folder = await freshFolder('delta-a', 7);
  const first = `/users/${SUPPORT}/mailFolders/${folder.id}/messages/delta?$select=subject,isRead`;
  const raw = (await client.api(first).header('Prefer', 'odata.maxpagesize=3').responseType(ResponseType.RAW).get()) as Response;
  t.is(raw.headers.get('preference-applied'), 'odata.maxpagesize=3');
  const firstPage = (await raw.json()) as DeltaPage;
  t.regex(firstPage['@odata.nextLink'] ?? '', /\$select=subject,isRead/);
  const initial = await round(t, first, 3);
  t.is(initial.pages, 3);
  t.is(initial.items.length, 7);
  t.deepEqual(new Set(initial.items.map((i) => i.id)), new Set(folder.delivered.map((d) => d.id)));
  for (const item of initial.items) {
    t.is(item['@odata.type'], '#microsoft.graph.message');
    t.false('body' in item);
    t.true('subject' in item);
  }
  t.regex(initial.deltaLink, /\$select=subject,isRead/);
  const created = await deliver(emulator, SUPPORT, 'Inbox/delta-a', simpleMime('delta-a new'));
  const updated = folder.delivered[0]?.id ?? '';
  await client.api(`/users/${SUPPORT}/messages/${updated}`).patch({ isRead: true });
  const movedAway = folder.delivered[1]?.id ?? '';
  await client.api(`/users/${SUPPORT}/messages/${movedAway}/move`).post({ destinationId: 'archive' });
  const next = await round(t, initial.deltaLink, 10);
  const byId = new Map(next.items.map((i) => [String(i.id), i]));
  t.is(next.items.length, 3);
  t.is(byId.get(created.id)?.subject, 'delta-a new');
  t.is(byId.get(updated)?.isRead, true);
  t.deepEqual(byId.get(movedAway)?.['@removed'], { reason: 'deleted' });
  const quiet = await round(t, next.deltaLink, 10);
  t.is(quiet.items.length, 0);
});

test('checklist 11: an expired sync state is 410 SyncStateNotFound; delta is per folder; $deltatoken=latest is refused', async (t) => {
  const folder = await freshFolder('delta-b', 2);
  const { deltaLink } = await round(t, `/users/${SUPPORT}/mailFolders/${folder.id}/messages/delta`, 5);
  await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${SUPPORT}/expire-delta`, { method: 'POST' });
  const gone = (await t.throwsAsync(client.api(deltaLink).get())) as unknown as { statusCode: number; code: string };
  t.is(gone.statusCode, 410);
  t.is(gone.code, 'SyncStateNotFound');
  const perFolder = (await t.throwsAsync(client.api(`/users/${SUPPORT}/messages/delta`).get())) as unknown as { statusCode: number };
  t.is(perFolder.statusCode, 400);
  const latest = (await t.throwsAsync(client.api(`/users/${SUPPORT}/mailFolders/${folder.id}/messages/delta?$deltatoken=latest`).get())) as unknown as { statusCode: number };
  t.is(latest.statusCode, 400);
});

test('old sync states are evicted once newer ones exist (bounded cache, like Exchange)', async (t) => {
  const small = await startTestEmulator({ syncStatesPerFolder: 2 });
  try {
    const smallClient = createGraphClient(small, async () => appToken(small));
    const base = `/users/${SUPPORT}/mailFolders/inbox/messages/delta`;
    const first = (await smallClient.api(base).header('Prefer', 'odata.maxpagesize=1').get()) as DeltaPage;
    let link = first['@odata.nextLink'] ?? '';
    for (let i = 0; i < 2; i++) {
      const page = (await smallClient.api(link).header('Prefer', 'odata.maxpagesize=1').get()) as DeltaPage;
      link = page['@odata.nextLink'] ?? page['@odata.deltaLink'] ?? '';
    }
    const stale = (await t.throwsAsync(smallClient.api(first['@odata.nextLink'] ?? '').get())) as unknown as { statusCode: number; code: string };
    t.is(stale.statusCode, 410);
    t.is(stale.code, 'SyncStateNotFound');
    t.truthy(await smallClient.api(link).get());
  } finally {
    await small.stop();
  }
});

test('checklist 14: a batch of 20 comes back out of order, each item JSON-decodable by the SDK (exact Content-Type casing); $value items are base64', async (t) => {
  const folder = await freshFolder('batch-a', 20);
  const requests = folder.delivered.map((d, i) => ({ id: String(i + 1), request: new Request(`${emulator.url}/v1.0/users/${SUPPORT}/messages/${d.id}?$select=subject`, { method: 'GET' }) }));
  const content = await new BatchRequestContent(requests).getContent();
  const response = (await client.api('/$batch').post(content)) as { responses: { id: string; status: number; headers: Record<string, string>; body: unknown }[] };
  t.is(response.responses.length, 20);
  t.notDeepEqual(response.responses.map((r) => r.id), requests.map((r) => r.id), 'answers are shuffled');
  t.is(response.responses[0]?.headers['Content-Type']?.startsWith('application/json'), true);
  const parsed = new BatchResponseContent(response);
  const seven = parsed.getResponseById('7');
  t.is(seven?.status, 200);
  t.is(((await seven?.json()) as { subject: string }).subject, 'batch-a 6');
  const value = (await client.api('/$batch').post({ requests: [{ id: 'v', method: 'GET', url: `/users/${SUPPORT}/messages/${folder.delivered[0]?.id ?? ''}/$value` }] })) as { responses: { status: number; headers: Record<string, string>; body: string }[] };
  t.regex(value.responses[0]?.headers['Content-Type'] ?? '', /^text\/plain/);
  t.true(Buffer.from(value.responses[0]?.body ?? '', 'base64').toString('utf8').includes('Subject: batch-a 0'));
  t.throws(() => new BatchRequestContent([...requests, { id: '21', request: new Request(`${emulator.url}/v1.0/me`) }]));
  const tooMany = (await t.throwsAsync(client.api('/$batch').post({ requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${SUPPORT}` })) }))) as unknown as { statusCode: number };
  t.is(tooMany.statusCode, 400);
  const duplicate = (await t.throwsAsync(client.api('/$batch').post({ requests: [{ id: 'a', method: 'GET', url: '/users' }, { id: 'A', method: 'GET', url: '/users' }] }))) as unknown as { statusCode: number };
  t.is(duplicate.statusCode, 400);
});

test.serial('checklist 14: one throttled item is 429 with its own Retry-After while the batch is 200; dependsOn on a failure is 424; each item counts as one operation', async (t) => {
  const folder = await freshFolder('batch-b', 3);
  const [a, b, c] = folder.delivered.map((d) => d.id);
  await emulator.fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ method: 'GET', path: `/messages/${(b ?? '').replace(/[^A-Za-z0-9]/g, '.')}$`, status: 429, retryAfter: 2, count: 1 }) });
  await emulator.fetch(`${emulator.url}/_emulator/stats`, { method: 'DELETE' });
  const raw = (await client.api('/$batch').responseType(ResponseType.RAW).post({
    requests: [
      { id: '1', method: 'GET', url: `/users/${SUPPORT}/messages/${a ?? ''}` },
      { id: '2', method: 'GET', url: `/users/${SUPPORT}/messages/${b ?? ''}` },
      { id: '3', method: 'GET', url: `/users/${SUPPORT}/messages/AAMkAGdoesnotexist0000000000000000AAA=` },
      { id: '4', method: 'PATCH', url: `/users/${SUPPORT}/messages/${c ?? ''}`, dependsOn: ['3'], headers: { 'Content-Type': 'application/json' }, body: { isRead: true } },
      { id: '5', method: 'PATCH', url: `/users/${SUPPORT}/messages/${c ?? ''}`, dependsOn: ['1'], headers: { 'Content-Type': 'application/json' }, body: { categories: ['batched'] } },
    ],
  })) as Response;
  t.is(raw.status, 200);
  const body = (await raw.json()) as { responses: { id: string; status: number; headers: Record<string, string>; body: Record<string, unknown> }[] };
  const byId = new Map(body.responses.map((r) => [r.id, r]));
  t.is(byId.get('1')?.status, 200);
  t.is(byId.get('2')?.status, 429);
  t.is(byId.get('2')?.headers['Retry-After'], '2');
  t.is(byId.get('3')?.status, 404);
  t.is(byId.get('4')?.status, 424);
  t.is(byId.get('5')?.status, 200);
  t.deepEqual(byId.get('5')?.body.categories, ['batched']);
  const stats = (await (await emulator.fetch(`${emulator.url}/_emulator/stats`)).json()) as { requests: number; operations: number; byMailbox: Record<string, number> };
  t.is(stats.requests, 1);
  t.is(stats.operations, 4, 'four items ran; the 424 item never reached Graph');
  t.is(stats.byMailbox[SUPPORT], 4);
});

test('2,000 messages: delivery, a full delta round and reading every MIME through $batch stay fast', async (t) => {
  const big = await startTestEmulator({ tenant: { tenantId: '11111111-2222-4333-8444-555555555555', displayName: 'bench', domains: ['bench.example'], applications: [{ clientId: '11111111-2222-4333-8444-000000000001', displayName: 'bench', secrets: [{ id: '11111111-2222-4333-8444-000000000002', value: 'bench-secret-value', expires: '2099-01-01T00:00:00Z' }], applicationPermissions: ['Mail.ReadWrite'], adminConsent: true }], users: [{ id: '11111111-2222-4333-8444-000000000003', userPrincipalName: 'bench@bench.example', displayName: 'Bench', mailbox: { folders: [{ path: 'Inbox/Load' }] } }] } });
  try {
    const started = Date.now();
    const indexes = Array.from({ length: 2000 }, (_, i) => i);
    for (let i = 0; i < indexes.length; i += 50) {
      await Promise.all(indexes.slice(i, i + 50).map((n) => deliver(big, 'bench@bench.example', 'Inbox/Load', simpleMime(`load ${n}`, { to: 'bench@bench.example' }))));
    }
    const delivered = Date.now();
    const benchToken = await appToken(big);
    const benchClient = createGraphClient(big, async () => benchToken);
    const folder = (await benchClient.api('/users/bench@bench.example/mailFolders/inbox/childFolders').filter("displayName eq 'Load'").get()) as { value: { id: string }[] };
    const ids: string[] = [];
    let link: string | undefined = `/users/bench@bench.example/mailFolders/${folder.value[0]?.id ?? ''}/messages/delta?$select=id`;
    while (link !== undefined) {
      const page = (await benchClient.api(link).header('Prefer', 'odata.maxpagesize=100').get()) as DeltaPage;
      ids.push(...page.value.map((v) => String(v.id)));
      link = page['@odata.nextLink'];
    }
    t.is(new Set(ids).size, 2000);
    const synced = Date.now();
    let mimes = 0;
    for (let i = 0; i < ids.length; i += 20) {
      const batch = (await benchClient.api('/$batch').post({ requests: ids.slice(i, i + 20).map((id, n) => ({ id: String(n), method: 'GET', url: `/users/bench@bench.example/messages/${id}/$value` })) })) as { responses: { status: number; body: string }[] };
      mimes += batch.responses.filter((r) => r.status === 200 && Buffer.from(r.body, 'base64').toString().includes('Subject: load')).length;
    }
    t.is(mimes, 2000);
    t.log(`deliver ${delivered - started} ms, delta ${synced - delivered} ms, $batch $value ${Date.now() - synced} ms`);
    // Generous: a quadratic emulator needs minutes here; a slow CI machine needs seconds.
    t.true(Date.now() - delivered < 30_000);
  } finally {
    await big.stop();
  }
});
