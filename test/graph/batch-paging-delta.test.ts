import test from 'ava';
import { createTokenProvider } from '../../src/auth/index.ts';
import { isAppError } from '../../src/core/index.ts';
import { batchBodyBytes, createCallCounter, createGraphClient, resolveMailFolder, type BatchRequest } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestEmulator, type TestEmulator } from './emulator-tenant.ts';

let emu: TestEmulator;
const logger = createSilentLogger();
const support = '/users/support@contoso.example';
const purchasing = '/users/purchasing@contoso.example';
let messageIds: string[] = [];

test.before(async () => {
  emu = await startTestEmulator();
  messageIds = [];
  for (let i = 1; i <= 15; i += 1) messageIds.push(await emu.deliver('support@contoso.example', 'Inbox', `batch message ${i}`));
});
test.after.always(async () => {
  await emu?.close();
});
test.afterEach.always(async () => {
  await emu.control('DELETE', '/faults');
});

async function client() {
  const connection = emu.connection();
  const tokenProvider = createTokenProvider(connection, { env: emu.env, baseDir: emu.dir, logger });
  const counter = createCallCounter();
  const graph = createGraphClient(connection, { tokenProvider, logger, counter, baseDir: emu.dir, retryBaseDelayMs: 20 });
  await tokenProvider.getToken(); // so the stats below count Graph traffic only
  return { graph, counter };
}

const stats = async () => (await emu.control('GET', '/stats')) as { requests: number; operations: number };

test.serial('45 requests go out as 3 batches and come back in input order', async (t) => {
  const { graph, counter } = await client();
  const requests: BatchRequest[] = Array.from({ length: 45 }, (_, i) => ({ method: 'GET', url: `${support}/messages/${encodeURIComponent(messageIds[i % 15]!)}?$select=id,subject` }));
  await emu.control('DELETE', '/stats');
  const responses = await graph.batch(requests);
  t.deepEqual(await stats().then((s) => [s.requests, s.operations]), [3, 45]);
  t.is(responses.length, 45);
  responses.forEach((response, i) => {
    t.is(response.id, String(i + 1));
    t.is(response.status, 200);
    t.is((response.body as { id: string }).id, messageIds[i % 15]!);
  });
  t.is(counter.requests, 3);
  t.is(counter.operations, 45);
});

test.serial('a throttled item inside a batch is retried alone, after its Retry-After', async (t) => {
  const { graph, counter } = await client();
  const requests: BatchRequest[] = Array.from({ length: 44 }, (_, i) => ({ method: 'GET', url: `${support}/messages/${encodeURIComponent(messageIds[i % 15]!)}?$select=id` }));
  requests.splice(30, 0, { id: 'the-throttled-one', method: 'GET', url: `${purchasing}/mailFolders/inbox?$select=id,displayName` });
  await emu.control('POST', '/faults', { mailbox: 'purchasing@contoso.example', status: 429, retryAfter: 1, count: 1 });
  await emu.control('DELETE', '/stats');
  const started = Date.now();
  const responses = await graph.batch(requests);
  t.true(Date.now() - started >= 800, 'waited for the item\'s Retry-After');
  // 3 batches + 1 batch holding only the throttled item.
  t.deepEqual(await stats().then((s) => [s.requests, s.operations]), [4, 46]);
  t.true(responses.every((r) => r.status === 200));
  t.is(responses[30]!.id, 'the-throttled-one');
  t.is((responses[30]!.body as { displayName: string }).displayName, 'Inbox');
  t.is(counter.byStatus[429], 1);
});

test.serial('dependsOn keeps a chain in one batch and a dependent of a throttled item is retried with it', async (t) => {
  const { graph } = await client();
  const requests: BatchRequest[] = Array.from({ length: 19 }, (_, i) => ({ method: 'GET', url: `${support}/messages/${encodeURIComponent(messageIds[i % 15]!)}?$select=id` }));
  requests.push(
    { id: 'a', method: 'GET', url: `${purchasing}/mailFolders/inbox?$select=id` },
    // c is listed before the b it depends on: the retry must still take the whole failed chain along.
    { id: 'c', method: 'GET', url: `${support}/mailFolders/inbox/childFolders?$select=id,displayName`, dependsOn: ['b'] },
    { id: 'b', method: 'GET', url: `${support}/mailFolders/inbox?$select=id`, dependsOn: ['a'] },
  );
  await emu.control('POST', '/faults', { mailbox: 'purchasing@contoso.example', status: 429, retryAfter: 0, count: 1 });
  await emu.control('DELETE', '/stats');
  const responses = await graph.batch(requests);
  t.deepEqual(responses.map((r) => r.status), Array(22).fill(200));
  t.deepEqual(responses.slice(19).map((r) => r.id), ['a', 'c', 'b']);
  // 19 fit the first batch, the chain of three the second; then a, b and c again.
  t.is((await stats()).requests, 3);
  const duplicate = await graph.batch([{ id: 'x', method: 'GET', url: '/users' }, { id: 'X', method: 'GET', url: '/users' }]).catch((e: unknown) => e);
  t.true(isAppError(duplicate, 'USAGE'));
});

test.serial('a MIME $value inside a batch comes back as bytes through batchBodyBytes', async (t) => {
  const { graph } = await client();
  const [response] = await graph.batch([{ method: 'GET', url: `${support}/messages/${encodeURIComponent(messageIds[0]!)}/$value` }]);
  t.is(response!.status, 200);
  t.regex(Buffer.from(batchBodyBytes(response!)).toString('utf8'), /Subject: batch message 1\r?\n/);
  const direct = await graph.getBytes(`${support}/messages/${encodeURIComponent(messageIds[0]!)}/$value`);
  t.deepEqual(Buffer.from(batchBodyBytes(response!)), Buffer.from(direct));
});

test.serial('paginate follows @odata.nextLink to the last page', async (t) => {
  const { graph } = await client();
  for (let i = 1; i <= 5; i += 1) await emu.deliver('purchasing@contoso.example', 'Inbox', `page message ${i}`);
  const pages: number[] = [];
  const subjects: string[] = [];
  for await (const page of graph.paginate<{ subject: string }>(`${purchasing}/mailFolders/inbox/messages?$select=id,subject&$top=2`)) {
    pages.push(page.length);
    subjects.push(...page.map((m) => m.subject));
  }
  t.true(pages.length >= 3, JSON.stringify(pages));
  t.deepEqual(subjects.sort(), [1, 2, 3, 4, 5].map((i) => `page message ${i}`));
});

test.serial('delta rounds: pages end in a deltaLink, the next round brings changes and removals, a stale link is GRAPH_SYNC_STATE_GONE', async (t) => {
  const { graph } = await client();
  const first = await Promise.all([1, 2, 3].map((i) => emu.deliver('support@contoso.example', 'Inbox/Support', `delta message ${i}`)));
  const folder = await resolveMailFolder(graph, 'support@contoso.example', 'Inbox/Support');
  const round = async (start: string) => {
    const pages = [];
    for await (const page of graph.deltaPages<{ id: string; subject?: string }>(start, { headers: { Prefer: 'odata.maxpagesize=2' } })) pages.push(page);
    return pages;
  };
  const initial = await round(`${support}/mailFolders/${encodeURIComponent(folder.id)}/messages/delta?$select=id,subject`);
  t.true(initial.length >= 2);
  t.true(initial.slice(0, -1).every((p) => p.nextLink !== null && p.deltaLink === null));
  const deltaLink = initial.at(-1)!.deltaLink;
  t.truthy(deltaLink);
  t.deepEqual(initial.flatMap((p) => p.items.map((m) => m.id)).sort(), [...first].sort());

  const added = await emu.deliver('support@contoso.example', 'Inbox/Support', 'delta message 4');
  await graph.delete(`${support}/messages/${encodeURIComponent(first[0]!)}`);
  const next = await round(deltaLink!);
  t.deepEqual(next.flatMap((p) => p.items.map((m) => m.id)), [added]);
  t.deepEqual(next.flatMap((p) => p.removed), [first[0]]);
  t.truthy(next.at(-1)!.deltaLink);

  await emu.control('POST', '/mailboxes/support@contoso.example/expire-delta');
  const stale = await round(next.at(-1)!.deltaLink!).catch((e: unknown) => e);
  t.true(isAppError(stale, 'GRAPH_SYNC_STATE_GONE'), String(stale));
});
