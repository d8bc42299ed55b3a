import test from 'ava';
import { createTokenProvider } from '../../src/auth/index.ts';
import { isAppError, type AppError } from '../../src/core/index.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { createCallCounter, createGraphClient, resolveMailFolder, type FolderListings, type GraphClientOptions } from '../../src/graph/index.ts';
import { Writable } from 'node:stream';
import { createLogger, createSilentLogger } from '../../src/log/index.ts';
import { ids, startTestEmulator, type TestEmulator } from './emulator-tenant.ts';

let emu: TestEmulator;
const logger = createSilentLogger();
const support = '/users/support@contoso.example';

test.before(async () => {
  emu = await startTestEmulator();
});
test.after.always(async () => {
  await emu?.close();
});
test.afterEach.always(async () => {
  await emu.control('DELETE', '/faults');
});

function client(connection: ConnectionConfig = emu.connection(), options: Partial<GraphClientOptions> = {}, env = emu.env) {
  const tokenProvider = createTokenProvider(connection, { env, baseDir: emu.dir, logger });
  const counter = createCallCounter();
  const graph = createGraphClient(connection, { tokenProvider, logger, counter, baseDir: emu.dir, retryBaseDelayMs: 20, ...options });
  return { graph, counter, tokenProvider };
}

async function rejection(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

test.serial('many calls share one token; every call is counted', async (t) => {
  const { graph, counter, tokenProvider } = client();
  await Promise.all(Array.from({ length: 12 }, () => graph.get(`${support}/mailFolders/inbox?$select=id`)));
  for (let i = 0; i < 8; i += 1) await graph.get(`${support}/mailFolders/inbox?$select=id`);
  t.is(tokenProvider.tokenRequests, 1);
  t.is(counter.requests, 20);
  t.is(counter.operations, 20);
  t.deepEqual(counter.byStatus, { 200: 20 });
});

test.serial('a 429 with Retry-After: 2 is waited out (about 2 s) and then succeeds', async (t) => {
  const { graph, counter } = client();
  await graph.get(`${support}/mailFolders/inbox?$select=id`); // token and TLS out of the way
  await emu.control('POST', '/faults', { path: 'mailFolders/inbox', status: 429, retryAfter: 2, count: 1 });
  const started = Date.now();
  const folder = await graph.get<{ id: string }>(`${support}/mailFolders/inbox?$select=id`);
  const elapsed = Date.now() - started;
  t.truthy(folder.id);
  t.true(elapsed >= 1500, `waited ${elapsed} ms`);
  t.true(elapsed < 15_000, `waited ${elapsed} ms`);
  t.deepEqual(counter.byStatus, { 200: 2, 429: 1 });
});

test.serial('a 503 storm gives up after maxAttempts with GRAPH_UNAVAILABLE', async (t) => {
  const { graph, counter } = client(emu.connection(), { maxAttempts: 4 });
  await emu.control('POST', '/faults', { path: 'mailFolders/inbox', status: 503, count: 50 });
  const error = await rejection(graph.get(`${support}/mailFolders/inbox`));
  t.is(error.code, 'GRAPH_UNAVAILABLE');
  t.is(error.retry, 'later');
  t.is(error.details.status, 503);
  t.is(counter.requests, 4);
  t.deepEqual(counter.byStatus, { 503: 4 });
});

test.serial('a write is resent after 429 but not after 503 (it may have run)', async (t) => {
  const { graph, counter } = client();
  const mail = { message: { subject: 'retry test', body: { contentType: 'Text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'purchasing@contoso.example' } }] }, saveToSentItems: false };
  await emu.control('POST', '/faults', { path: 'sendMail', status: 429, retryAfter: 0, count: 1 });
  await graph.post(`${support}/sendMail`, mail);
  t.deepEqual(counter.byStatus, { 202: 1, 429: 1 });
  await emu.control('POST', '/faults', { path: 'sendMail', status: 503, count: 1 });
  const error = await rejection(graph.post(`${support}/sendMail`, mail));
  t.is(error.code, 'GRAPH_UNAVAILABLE');
  t.is(counter.byStatus[503], 1);
  t.is(counter.requests, 3);
});

test.serial('Graph errors keep their code and carry the sentence that says what to fix', async (t) => {
  const { graph } = client();
  const notEnabled = await rejection(graph.get('/users/ex.user@contoso.example/mailFolders/inbox'));
  t.is(notEnabled.code, 'GRAPH_MAILBOX_NOT_ENABLED');
  t.is(notEnabled.details.graphCode, 'MailboxNotEnabledForRESTAPI');
  t.regex(notEnabled.hint ?? '', /Exchange Online licence/);
  const unknown = await rejection(graph.get('/users/nobody@contoso.example/mailFolders/inbox'));
  t.is(unknown.code, 'GRAPH_MAILBOX_NOT_ENABLED');
  t.is(unknown.details.graphCode, 'ErrorInvalidUser');
  t.truthy(unknown.details.requestId);
  const folder = await rejection(resolveMailFolder(graph, 'support@contoso.example', 'Inbox/Support/Tier3'));
  t.is(folder.code, 'GRAPH_FOLDER_NOT_FOUND');
  t.regex(folder.message, /no folder "Tier3" under "Inbox\/Support"/);
  t.is(folder.details.missingSegment, 'Tier3');

  const policy = client(emu.connection({ clientId: ids.appPolicy }), {}, { TEST_SECRET: 'policy-secret' }).graph;
  const blocked = await rejection(policy.get(`${support}/mailFolders/inbox`));
  t.is(blocked.code, 'GRAPH_MAILBOX_ACCESS_POLICY');
  t.regex(blocked.message, /may not open mailbox support@contoso\.example/);
  t.regex(blocked.hint ?? '', /application access policy/);
  t.truthy(await policy.get('/users/purchasing@contoso.example/mailFolders/inbox'));

  const noConsent = client(emu.connection({ clientId: ids.appNoConsent }), {}, { TEST_SECRET: 'no-consent-secret' }).graph;
  const consent = await rejection(noConsent.get(`${support}/mailFolders/inbox`));
  t.is(consent.code, 'GRAPH_ACCESS_DENIED');
  t.regex(consent.message, /admin consent is missing/);
  t.regex(consent.hint ?? '', /Grant admin consent/);

  const calendarOnly = client(emu.connection({ clientId: ids.appCalendarOnly }), {}, { TEST_SECRET: 'calendar-secret' }).graph;
  const role = await rejection(calendarOnly.get(`${support}/mailFolders/inbox`));
  t.is(role.code, 'GRAPH_ACCESS_DENIED');
  t.regex(role.hint ?? '', /Mail\.ReadWrite/);
});

test.serial('folder paths resolve through well-known names and childFolders, case-insensitively', async (t) => {
  const { graph } = client();
  const inbox = await graph.get<{ id: string }>(`${support}/mailFolders/inbox?$select=id`);
  t.is((await resolveMailFolder(graph, 'support@contoso.example', 'Inbox')).id, inbox.id);
  const tier2 = await resolveMailFolder(graph, 'support@contoso.example', 'inbox/support/TIER2');
  t.is(tier2.path, 'Inbox/Support/Tier2');
  const listed = (await emu.control('GET', '/mailboxes/support@contoso.example/folders')) as { value: { id: string; path: string }[] };
  t.is(listed.value.find((f) => f.path.endsWith('Support/Tier2'))?.id, tier2.id);
});

test.serial('lookups sharing listings list each parent once, and look again before a name counts as missing', async (t) => {
  const { graph, counter } = client();
  const listings: FolderListings = new Map();
  await graph.get(`${support}/mailFolders/inbox?$select=id`);
  const before = counter.requests;
  const supportFolder = await resolveMailFolder(graph, 'support@contoso.example', 'Inbox/Support', listings);
  t.is(supportFolder.path, 'Inbox/Support', 'the well-known segment as configured');
  t.is(counter.requests - before, 1, 'one listing of Inbox by its well-known name, no GET of Inbox');
  t.is((await resolveMailFolder(graph, 'support@contoso.example', 'inbox/SUPPORT', listings)).id, supportFolder.id);
  t.is(counter.requests - before, 1, 'the kept listing answered');
  // A folder made after the listing was kept is found in a fresh one.
  const name = `Made later ${Date.now()}`;
  const made = await graph.post<{ id: string }>(`${support}/mailFolders/inbox/childFolders`, { displayName: name });
  const found = await resolveMailFolder(graph, 'support@contoso.example', `Inbox/${name}`, listings);
  t.is(found.id, made.id);
  const missing = await rejection(resolveMailFolder(graph, 'support@contoso.example', 'Inbox/Nowhere', listings));
  t.is(missing.code, 'GRAPH_FOLDER_NOT_FOUND');
  t.regex(missing.message, /no folder "Nowhere" under "Inbox"/);
});

test.serial('lookupPrincipalName resolves a mail address to the user id once and reuses it', async (t) => {
  const { graph } = client(emu.connection({ lookupPrincipalName: true }));
  await emu.control('DELETE', '/stats');
  await graph.get('/users/jane.doe@contoso.example/mailFolders/inbox?$select=id');
  await graph.get('/users/jane.doe@contoso.example/mailFolders/inbox?$select=id');
  const stats = (await emu.control('GET', '/stats')) as { byRoute: Record<string, number>; byMailbox: Record<string, number> };
  t.is(stats.byRoute['GET /users'], 1, JSON.stringify(stats.byRoute));
  t.is(stats.byMailbox['jdoe@contoso.onmicrosoft.example'], 2, JSON.stringify(stats.byMailbox));
  const missing = await rejection(graph.get('/users/nobody@contoso.example/mailFolders/inbox'));
  t.is(missing.code, 'GRAPH_MAILBOX_NOT_ENABLED');
  t.regex(missing.message, /no user in the tenant has the mail address nobody@contoso\.example/);
});

test.serial('debug logs carry request-id and client-request-id, never the token', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, callback) { lines.push(chunk.toString('utf8')); callback(); } });
  const debugLogger = createLogger({ level: 'debug', format: 'json', stream });
  const connection = emu.connection();
  const tokenProvider = createTokenProvider(connection, { env: emu.env, baseDir: emu.dir, logger: debugLogger });
  const graph = createGraphClient(connection, { tokenProvider, logger: debugLogger, baseDir: emu.dir });
  await graph.get(`${support}/mailFolders/inbox?$select=id`);
  const token = await tokenProvider.getToken();
  const request = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'graph');
  t.truthy(request);
  t.regex(String(request!.requestId), /^[0-9a-f-]{36}$/);
  t.regex(String(request!.clientRequestId), /^[0-9a-f-]{36}$/);
  t.is(request!.status, 200);
  t.false(lines.join('').includes(token));
  t.false(lines.join('').includes(ids.secret));
});
