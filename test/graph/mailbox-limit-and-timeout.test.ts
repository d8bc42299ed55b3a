import test from 'ava';
import { createTokenProvider } from '../../src/auth/index.ts';
import { isAppError } from '../../src/core/index.ts';
import { createCallCounter, createGraphClient, type GraphClientOptions } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestEmulator, type TestEmulator } from './emulator-tenant.ts';

// Every Graph operation takes 150 ms here, so concurrent requests overlap and Exchange's limit of 4 per mailbox bites.
let emu: TestEmulator;
const logger = createSilentLogger();
const inbox = '/users/support@contoso.example/mailFolders/inbox?$select=id';

test.before(async () => {
  emu = await startTestEmulator({ latencyMs: 150 });
});
test.after.always(async () => {
  await emu?.close();
});

async function client(options: Partial<GraphClientOptions>) {
  const connection = emu.connection();
  const tokenProvider = createTokenProvider(connection, { env: emu.env, baseDir: emu.dir, logger });
  await tokenProvider.getToken();
  const counter = createCallCounter();
  return { graph: createGraphClient(connection, { tokenProvider, logger, counter, baseDir: emu.dir, ...options }), counter };
}

test.serial('at most 4 requests per mailbox are in flight, so Exchange never answers MailboxConcurrency 429', async (t) => {
  const limited = await client({ maxAttempts: 1 });
  await Promise.all(Array.from({ length: 12 }, () => limited.graph.get(inbox)));
  t.deepEqual(limited.counter.byStatus, { 200: 12 });
  // The same burst without our limit is throttled by the emulator: the assertion above is not vacuous.
  const unlimited = await client({ maxAttempts: 1, maxConcurrentPerMailbox: 12 });
  const results = await Promise.allSettled(Array.from({ length: 12 }, () => unlimited.graph.get(inbox)));
  t.true((unlimited.counter.byStatus[429] ?? 0) > 0, JSON.stringify(unlimited.counter.byStatus));
  t.true(results.some((r) => r.status === 'rejected' && isAppError(r.reason, 'GRAPH_THROTTLED')));
});

test.serial('a request slower than timeoutMs is abandoned, retried, then fails with GRAPH_TIMEOUT', async (t) => {
  const { graph, counter } = await client({ timeoutMs: 40, maxAttempts: 2, retryBaseDelayMs: 10 });
  const error = await graph.get(inbox).catch((e: unknown) => e);
  t.true(isAppError(error, 'GRAPH_TIMEOUT'), String(error));
  t.deepEqual(counter.byStatus, { timeout: 2 });
  // A request that is known to be slow (a large MIME download) can ask for more time.
  t.truthy(await graph.get(inbox, { timeoutMs: 10_000 }));
});

test.serial('an aborted signal stops a request with JOB_ABORTED', async (t) => {
  const { graph } = await client({});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const error = await graph.get(inbox, { signal: controller.signal }).catch((e: unknown) => e);
  t.true(isAppError(error, 'JOB_ABORTED'), String(error));
});
