import { listPostActionFolders } from '../../mail/connector/index.ts';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { createMongoTokenCacheStore, signInWithDeviceCode, type TokenCacheStore } from '../../auth/index.ts';
import { AppError } from '../../core/index.ts';
import type { ConnectionConfig } from '../../config/connection-config.ts';
import { createLogger, type Logger } from '../../log/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import type { ConnectionJob } from '../../graph/connection-test/required-roles.ts';
import { runConnectionTest, type ConnectionTestContext, type ConnectionTestReport } from '../../graph/connection-test/run-connection-test.ts';
import { formatConnectionTest } from './connection-test-format.ts';

/** What the connection commands use; tests hand these in directly. */
export type ConnectionCliDeps = Pick<CliDeps, 'stdout' | 'stderr' | 'cwd' | 'env' | 'setExitCode'> & {
  loadConfig(): Promise<{ connections: readonly ConnectionConfig[]; jobs: readonly ConnectionJob[]; notificationsFile?: string | null }>;
  /** The database, for delegated token caches (sign-in, and testing a delegated connection); the caller closes it. */
  openStore?: () => Promise<Store>;
  /** The CLI's logger; without one, warnings go to stderr. */
  logger?: Logger;
  /** Test-only: Graph client knobs and a fixed clock. */
  testing?: { graph?: ConnectionTestContext['graph']; now?: Date; tokenCacheStore?: TokenCacheStore };
};

function commandLogger(deps: ConnectionCliDeps): Logger {
  if (deps.logger) return deps.logger;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      deps.stderr(chunk.toString('utf8'));
      callback();
    },
  });
  return createLogger({ level: deps.env.MAILROOM_LOG_LEVEL ?? 'warn', format: 'pretty', stream });
}

function findConnection(connections: readonly ConnectionConfig[], name: string): ConnectionConfig {
  const connection = connections.find((c) => c.name === name);
  if (!connection) {
    throw new AppError('USAGE', `no connection named "${name}"`, {
      hint: `Known connections: ${connections.map((c) => c.name).join(', ') || 'none (add one to schedules/connections.json)'}.`,
    });
  }
  return connection;
}

async function testConnections(name: string | undefined, options: { mailbox?: string; folder?: string; json?: boolean }, deps: ConnectionCliDeps): Promise<void> {
  const config = await deps.loadConfig();
  const enabledJobs = config.jobs.filter((j) => j.enabled);
  let selected: ConnectionConfig[];
  if (name !== undefined) {
    selected = [findConnection(config.connections, name)];
  } else {
    if (options.mailbox !== undefined || options.folder !== undefined) throw new AppError('USAGE', '--mailbox and --folder need a connection name');
    const used = new Set(enabledJobs.map((j) => j.connection));
    selected = config.connections.filter((c) => used.has(c.name));
    if (selected.length === 0) {
      throw new AppError('USAGE', 'no enabled job uses a connection, so there is nothing to test', { hint: 'Name a connection: mailroom connection test <name>.' });
    }
  }
  if (options.folder !== undefined && options.mailbox === undefined) throw new AppError('USAGE', '--folder needs --mailbox');
  const logger = commandLogger(deps);
  const reports: ConnectionTestReport[] = [];
  for (const connection of selected) {
    let tokenStore = deps.testing?.tokenCacheStore;
    if (connection.delegated?.enabled === true && tokenStore === undefined && deps.openStore) {
      tokenStore = createMongoTokenCacheStore(await deps.openStore());
    }
    const report = await runConnectionTest(connection, enabledJobs.filter((j) => j.connection === connection.name), options, {
      env: deps.env, baseDir: deps.cwd, logger, now: deps.testing?.now ?? new Date(),
      postActionFolders: (job) => listPostActionFolders(job, deps.cwd),
      notificationsOn: (config.notificationsFile ?? null) !== null,
      ...(deps.testing?.graph ? { graph: deps.testing.graph } : {}),
      ...(tokenStore ? { store: tokenStore } : {}),
    });
    reports.push(report);
    if (!options.json) deps.stdout(formatConnectionTest(report));
  }
  const ok = reports.every((r) => r.ok);
  if (options.json) deps.stdout(`${JSON.stringify({ ok, connections: reports })}\n`);
  if (!ok) deps.setExitCode(1);
}

async function signIn(name: string, options: { json?: boolean }, deps: ConnectionCliDeps): Promise<void> {
  const config = await deps.loadConfig();
  const connection = findConnection(config.connections, name);
  let tokenStore = deps.testing?.tokenCacheStore;
  if (tokenStore === undefined) {
    if (!deps.openStore) throw new AppError('INTERNAL', 'sign-in needs the database, but the CLI was started without one');
    tokenStore = createMongoTokenCacheStore(await deps.openStore());
  }
  const result = await signInWithDeviceCode(connection, {
    env: deps.env, baseDir: deps.cwd, logger: commandLogger(deps), store: tokenStore,
    onPrompt: (prompt) => {
      if (options.json) deps.stdout(`${JSON.stringify({ userCode: prompt.userCode, verificationUri: prompt.verificationUri, expiresInSeconds: prompt.expiresInSeconds })}\n`);
      else deps.stdout(`${prompt.message}\nOpen ${prompt.verificationUri} and enter the code ${prompt.userCode} (valid ${Math.round(prompt.expiresInSeconds / 60)} minutes).\n`);
    },
  });
  if (options.json) deps.stdout(`${JSON.stringify({ signedIn: result.username, tenantId: result.tenantId, scopes: result.scopes })}\n`);
  else deps.stdout(`signed in as ${result.username}; connection ${connection.name} now acts as this account (token cache stored encrypted)\n`);
}

/**
 * Adds `mailroom connection test [name] [--mailbox <upn>] [--folder <path>] [--json]` (exit 1 when a step failed)
 * and `mailroom connection sign-in <name>` (device code; the delegated token cache goes to the database, encrypted).
 */
export function registerConnectionCommands(program: Command, deps: ConnectionCliDeps): void {
  const connection = program.command('connection').description('check and sign in to Microsoft 365 connections');

  connection
    .command('test')
    .description('token, granted roles against the enabled jobs, mailbox, folder path and secret expiry; without a name: every connection an enabled job uses')
    .argument('[name]', 'connection name')
    .option('--mailbox <upn>', 'test this mailbox instead of the jobs\' mailboxes')
    .option('--folder <path>', 'folder path to resolve in --mailbox, e.g. Inbox/Support')
    .option('--json', 'machine-readable output')
    .action(async (name: string | undefined, options: { mailbox?: string; folder?: string; json?: boolean }) => {
      await testConnections(name, options, deps);
    });

  connection
    .command('sign-in')
    .description('delegated sign-in with a device code; the person signs in with the account whose mailbox or calendar the connection uses')
    .argument('<name>', 'connection name (with "delegated": {"enabled": true})')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { json?: boolean }) => {
      await signIn(name, options, deps);
    });
}
