import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTokenProvider } from '../../src/auth/index.ts';
import { isAppError, type AppError } from '../../src/core/index.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { createCallCounter, createGraphClient } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestEmulator, type TestEmulator } from '../graph/emulator-tenant.ts';

let emu: TestEmulator;
const logger = createSilentLogger();
const support = '/users/support@contoso.example';
const tokenRetry = { maxAttempts: 4, baseDelayMs: 20, maxRetryAfterMs: 1000 };

test.before(async () => {
  emu = await startTestEmulator();
});
test.after.always(async () => {
  await emu?.close();
});
test.afterEach.always(async () => {
  await emu.control('DELETE', '/faults');
});

const provider = (connection: ConnectionConfig = emu.connection()) => createTokenProvider(connection, { env: emu.env, baseDir: emu.dir, logger, tokenRetry });

function client(connection: ConnectionConfig = emu.connection()) {
  const tokenProvider = provider(connection);
  const counter = createCallCounter();
  const graph = createGraphClient(connection, { tokenProvider, logger, counter, baseDir: emu.dir, retryBaseDelayMs: 20 });
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

test.serial('a 401 from Graph drops the cached token and retries once with a new one', async (t) => {
  const { graph, counter, tokenProvider } = client();
  await graph.get(`${support}/mailFolders/inbox?$select=id`);
  t.is(tokenProvider.tokenRequests, 1);
  await emu.control('POST', '/faults', { method: 'GET', path: '/mailFolders/inbox', status: 401, count: 1 });
  const folder = await graph.get<{ id: string }>(`${support}/mailFolders/inbox?$select=id`);
  t.truthy(folder.id);
  t.is(tokenProvider.tokenRequests, 2, 'a new token, not the cached one');
  t.deepEqual(counter.byStatus, { 200: 2, 401: 1 });
  // Later calls use the new token from the cache.
  await graph.get(`${support}/mailFolders/inbox?$select=id`);
  t.is(tokenProvider.tokenRequests, 2);
});

test.serial('a write rejected with 401 is sent again once with a new token, and goes out once', async (t) => {
  const { graph, tokenProvider } = client();
  await emu.control('POST', '/faults', { method: 'POST', path: '/sendMail', status: 401, count: 1 });
  const sentLog = async () => ((await emu.control('GET', '/mailboxes/support@contoso.example/sent')) as { value: { subject: string }[] }).value;
  const before = (await sentLog()).length;
  await graph.post(`${support}/sendMail`, {
    message: { subject: 'after a 401', body: { contentType: 'Text', content: 'hello' }, toRecipients: [{ emailAddress: { address: 'customer@example.net' } }] },
  });
  const sent = await sentLog();
  t.is(sent.length, before + 1);
  t.is(sent.at(-1)?.subject, 'after a 401');
  t.is(tokenProvider.tokenRequests, 2);
});

test.serial('a second 401 in a row is GRAPH_UNAUTHORIZED: one renewal per request, no loop', async (t) => {
  const { graph, counter, tokenProvider } = client();
  await emu.control('POST', '/faults', { method: 'GET', path: '/mailFolders/inbox', status: 401, count: 5 });
  const error = await rejection(graph.get(`${support}/mailFolders/inbox?$select=id`));
  t.is(error.code, 'GRAPH_UNAUTHORIZED');
  t.is(counter.byStatus[401], 2);
  t.is(tokenProvider.tokenRequests, 2);
});

test.serial('the token endpoint answering 503 (AADSTS90033) twice: retried with backoff, then a token', async (t) => {
  await emu.control('POST', '/faults', { method: 'POST', path: '/oauth2/v2.0/token', status: 503, count: 2 });
  const tokens = provider();
  t.truthy(await tokens.getToken());
  t.is(tokens.tokenRequests, 3);
});

test.serial('AADSTS90033 (temporarily_unavailable) is transient whatever its status: retried, then a token', async (t) => {
  // The emulator answers a 403 fault on the token endpoint with error temporarily_unavailable, error_codes [90033].
  await emu.control('POST', '/faults', { method: 'POST', path: '/oauth2/v2.0/token', status: 403, count: 1 });
  const tokens = provider();
  t.truthy(await tokens.getToken());
  t.is(tokens.tokenRequests, 2);
});

test.serial('a token endpoint that stays down is AUTH_FAILED, retry later, after the policy\'s attempts', async (t) => {
  await emu.control('POST', '/faults', { method: 'POST', path: '/oauth2/v2.0/token', status: 500, count: 10 });
  const tokens = provider();
  const error = await rejection(tokens.getToken());
  t.is(error.code, 'AUTH_FAILED');
  t.is(error.retry, 'later');
  t.is(tokens.tokenRequests, tokenRetry.maxAttempts);
});

test.serial('a network error on the way to the token endpoint is retried, then AUTH_AUTHORITY_UNREACHABLE', async (t) => {
  // A port that was just free: connections are refused (fetch itself blocks "bad ports" such as 9 without trying).
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const closed = provider(emu.connection({ authorityHost: `https://localhost:${port}`, graphBaseUrl: `https://localhost:${port}/v1.0`, caFile: emu.emulator.caFile }));
  const error = await rejection(closed.getToken());
  t.is(error.code, 'AUTH_AUTHORITY_UNREACHABLE');
  t.is(closed.tokenRequests, tokenRetry.maxAttempts);
});

test.serial('a private key file that does not parse is CONFIG_INVALID naming the file (exit 2), not AUTH_FAILED', async (t) => {
  const keyFile = join(emu.dir, 'garbage.key');
  await writeFile(keyFile, '-----BEGIN PRIVATE KEY-----\nthis is not base64 DER at all\n-----END PRIVATE KEY-----\n');
  const tokens = provider(emu.connection({ credential: { certificate: { privateKey: { file: keyFile }, certificateFile: emu.certificate.certFile } } }));
  const error = await rejection(tokens.getToken());
  t.is(error.code, 'CONFIG_INVALID');
  t.is(error.exitCode, 2);
  t.true(error.message.includes(keyFile), error.message);
  t.regex(error.message, /does not parse as a PEM private key/);
  t.is(tokens.tokenRequests, 0);
});
