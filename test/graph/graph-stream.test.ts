import test from 'ava';
import { createTokenProvider } from '../../src/auth/index.ts';
import { AppError, isAppError } from '../../src/core/index.ts';
import { createCallCounter, createGraphClient } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestEmulator, type TestEmulator } from './emulator-tenant.ts';

let emu: TestEmulator;
let messageId = '';
const logger = createSilentLogger();
const support = '/users/support@contoso.example';

test.before(async () => {
  emu = await startTestEmulator();
  messageId = await emu.deliver('support@contoso.example', 'Inbox', 'streamed message');
});
test.after.always(async () => {
  await emu?.close();
});
test.afterEach.always(async () => {
  await emu.control('DELETE', '/faults');
});

async function client(options: { maxConcurrentPerMailbox?: number } = {}) {
  const connection = emu.connection();
  const tokenProvider = createTokenProvider(connection, { env: emu.env, baseDir: emu.dir, logger });
  const counter = createCallCounter();
  const graph = createGraphClient(connection, { tokenProvider, logger, counter, baseDir: emu.dir, retryBaseDelayMs: 20, ...options });
  return { graph, counter };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

const valuePath = (): string => `${support}/messages/${encodeURIComponent(messageId)}/$value`;

test.serial('getStream hands on the same bytes as getBytes, retrying a 503 before the first byte', async (t) => {
  const { graph, counter } = await client();
  const whole = Buffer.from(await graph.getBytes(valuePath()));
  await emu.control('POST', '/faults', { method: 'GET', path: '/\\$value$', status: 503, count: 1 });
  const before = counter.requests;
  const streamed = await readAll(await graph.getStream(valuePath()));
  t.deepEqual(streamed, whole);
  t.regex(streamed.toString('utf8'), /Subject: streamed message/);
  t.is(counter.requests - before, 2, 'the 503 and the retry');
});

test.serial('a 404 is mapped before any byte, as getBytes maps it', async (t) => {
  const { graph } = await client();
  await emu.control('POST', '/faults', { method: 'GET', path: '/\\$value$', status: 404, count: 1 });
  const error = await t.throwsAsync(graph.getStream(valuePath()));
  t.true(isAppError(error, 'GRAPH_NOT_FOUND'), String(error));
});

test.serial('a connection broken mid-body reaches the reader as GRAPH_UNAVAILABLE naming how far it came, and is not resent', async (t) => {
  const { graph, counter } = await client();
  await emu.control('POST', '/faults', { method: 'GET', path: '/\\$value$', status: 200, cutAfterBytes: 40, count: 1 });
  const before = counter.requests;
  const body = await graph.getStream(valuePath());
  const error = await t.throwsAsync(readAll(body));
  t.true(error instanceof AppError && error.code === 'GRAPH_UNAVAILABLE', String(error));
  t.is((error as AppError).details.bytesRead, 40);
  t.is(counter.requests - before, 1, 'a body that broke off is not resent by the client');
});

test.serial('a stream holds its mailbox slot until it is read or cancelled', async (t) => {
  const { graph } = await client({ maxConcurrentPerMailbox: 1 });
  const first = await graph.getStream(valuePath());
  let secondDone = false;
  const second = graph.get<{ id: string }>(`${support}/messages/${encodeURIComponent(messageId)}?$select=id`).then((m) => {
    secondDone = true;
    return m;
  });
  // The second request waits for the one slot while the first body is unread; a round trip to the emulator's
  // control API gives it time to go out if it could.
  await emu.control('GET', '/faults');
  t.false(secondDone, 'the slot is still held by the unread body');
  await first.cancel();
  t.truthy((await second).id);
  const third = await graph.getStream(valuePath());
  await readAll(third);
  t.truthy(await graph.get(`${support}/messages/${encodeURIComponent(messageId)}?$select=id`), 'and released when read to the end');
});
