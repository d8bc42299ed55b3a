import test from 'ava';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { createMongoTokenCacheStore, createTokenProvider, readTokenRoles, type TokenCacheStore } from '../../src/auth/index.ts';
import { registerConnectionCommands, type ConnectionCliDeps } from '../../src/cli/commands/connection-commands.ts';
import { isAppError } from '../../src/core/index.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { createCallCounter, createGraphClient } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import { startTestEmulator, type TestEmulator } from '../graph/emulator-tenant.ts';

let emu: TestEmulator;
let database: TestDatabase;
let store: TokenCacheStore;
const logger = createSilentLogger();
const key = randomBytes(32).toString('base64');
let connection: ConnectionConfig;

test.before(async () => {
  [emu, database] = await Promise.all([startTestEmulator({ deviceCodeIntervalSeconds: 1 }), startTestDatabase()]);
  store = createMongoTokenCacheStore(database.store);
  connection = emu.connection({ name: 'jane', delegated: { enabled: true } });
});
test.after.always(async () => {
  await emu?.close();
  await database?.drop();
});

/** Runs `mailroom connection sign-in` and approves the device code the way the person would in a browser. */
type ConnectionConfigFile = Awaited<ReturnType<ConnectionCliDeps['loadConfig']>>;

/** `mailroom connection <args>` in-process, with this file's connection, key and token cache; stdout is read as it grows. */
function connectionCommand(args: string[], config: ConnectionConfigFile): { output: () => string; exitCode: () => number; done: Promise<unknown> } {
  let stdout = '';
  let exitCode = 0;
  const program = new Command('mailroom').exitOverride();
  registerConnectionCommands(program, {
    stdout: (s) => { stdout += s; },
    stderr: () => undefined,
    cwd: emu.dir,
    env: { ...emu.env, MAILROOM_ENCRYPTION_KEY: key },
    setExitCode: (code) => { exitCode = code; },
    loadConfig: async () => config,
    testing: { tokenCacheStore: store },
  });
  return { output: () => stdout, exitCode: () => exitCode, done: program.parseAsync(['node', 'mailroom', 'connection', ...args]) };
}

async function signIn(upn: string): Promise<{ stdout: string; exitCode: number }> {
  const running = connectionCommand(['sign-in', 'jane'], { connections: [connection], jobs: [] });
  let userCode: string | undefined;
  for (let i = 0; i < 100 && userCode === undefined; i += 1) {
    userCode = /enter the code (\S+) \(valid/.exec(running.output())?.[1];
    if (userCode === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (userCode === undefined) throw new Error(`no user code printed: ${running.output()}`);
  await emu.control('POST', '/device/approve', { userCode, upn });
  await running.done;
  return { stdout: running.output(), exitCode: running.exitCode() };
}

test.serial('before sign-in a delegated connection says who must sign in and how', async (t) => {
  const error = await createTokenProvider(connection, { env: { MAILROOM_ENCRYPTION_KEY: key }, baseDir: emu.dir, logger, store }).getToken().catch((e: unknown) => e);
  t.true(isAppError(error, 'AUTH_SIGN_IN_REQUIRED'));
  t.regex((error as { hint: string }).hint, /mailroom connection sign-in jane/);
});

test.serial('device-code sign-in stores an encrypted cache that jobs then use to act as the person', async (t) => {
  const { stdout, exitCode } = await signIn('support@contoso.example');
  t.is(exitCode, 0);
  t.regex(stdout, /To sign in, use a web browser to open the page https:\/\/localhost:\d+\/devicelogin/);
  t.regex(stdout, /signed in as support@contoso\.example/);

  const stored = await store.load('msal:jane');
  t.truthy(stored);
  t.true(stored!.startsWith('v1:'));
  t.false(/RefreshToken|AccessToken|support@contoso/.test(stored!), 'nothing readable in the database');

  // A fresh provider (a new process, say) reads the cache from the database: no sign-in; at most one refresh
  // (MSAL files the token under the granted scopes, not `.default`), and then the token is reused.
  const tokens = createTokenProvider(connection, { env: { MAILROOM_ENCRYPTION_KEY: key }, baseDir: emu.dir, logger, store });
  const token = await tokens.getToken();
  t.true(readTokenRoles(token).scp.includes('Mail.ReadWrite'));
  t.is(readTokenRoles(token).roles.length, 0);
  const afterFirst = tokens.tokenRequests;
  t.true(afterFirst <= 1);
  for (let i = 0; i < 5; i += 1) t.is(await tokens.getToken(), token);
  t.is(tokens.tokenRequests, afterFirst);
  const graph = createGraphClient(connection, { tokenProvider: tokens, logger, counter: createCallCounter(), baseDir: emu.dir });
  const inbox = await graph.get<{ displayName: string }>('/users/support@contoso.example/mailFolders/inbox?$select=displayName');
  t.is(inbox.displayName, 'Inbox');
});

test.serial('connection test on the signed-in delegated connection checks the delegated scopes', async (t) => {
  const run = connectionCommand(['test', 'jane'], { connections: [{ ...connection, secretExpiresAt: '2099-01-01' }], jobs: [{ name: 'jane-mail', type: 'mail', connection: 'jane', enabled: true, mailbox: 'support@contoso.example', folder: 'Inbox/Support' }] });
  await run.done;
  const stdout = run.output();
  const exitCode = run.exitCode();
  t.is(exitCode, 0, stdout);
  t.regex(stdout, /ok\s+roles\s+granted Mail\.ReadWrite, Calendars\.ReadWrite; covers Mail\.ReadWrite/);
  t.regex(stdout, /ok\s+folder\s+support@contoso\.example Inbox\/Support resolves to/);
});

test.serial('a different MAILROOM_ENCRYPTION_KEY cannot read the stored cache', async (t) => {
  const other = randomBytes(32).toString('base64');
  const error = await createTokenProvider(connection, { env: { MAILROOM_ENCRYPTION_KEY: other }, baseDir: emu.dir, logger, store }).getToken().catch((e: unknown) => e);
  t.true(isAppError(error, 'AUTH_TOKEN_CACHE_UNREADABLE'), String(error));
});
