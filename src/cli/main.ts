import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { toAppError, type AppError } from '../core/index.ts';
import { loadConfig } from '../config/load-config.ts';
import { readEnvironment } from '../config/read-environment.ts';
import type { CliDeps } from './cli-deps.ts';
import { createApp, type App } from '../app.ts';
import { openAppStore } from '../open-app-store.ts';
import type { Store } from '../store/index.ts';
import { createCliLogger } from './create-cli-logger.ts';
import { registerCommands } from './register-commands.ts';

function packageVersion(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function reportError(error: AppError, json: boolean, deps: CliDeps): void {
  if (json) {
    deps.stdout(`${JSON.stringify({ error: error.toJSON() })}\n`);
    return;
  }
  deps.stderr(`error ${error.code}: ${error.message}\n`);
  if (error.hint) deps.stderr(`  ${error.hint}\n`);
}

/** Runs the CLI and returns the process exit code. Builds nothing until a command needs it. */
export async function main(argv: readonly string[], overrides: Partial<CliDeps> = {}): Promise<number> {
  let exitCode = 0;
  const env = overrides.env ?? readEnvironment();
  const cwd = overrides.cwd ?? process.cwd();
  const logger = overrides.logger ?? createCliLogger(env, process.stderr.isTTY === true);
  let store: Promise<Store> | undefined;
  let app: Promise<App> | undefined;
  const openStoreOnce = (lasting = false): Promise<Store> => (store ??= openAppStore(cwd, env, logger, { lasting }));
  const deps: CliDeps = {
    logger,
    openStore: () => openStoreOnce(),
    openApp: (options = {}) =>
      (app ??= (async () => createApp({ config: await loadConfig({ root: cwd, env }), store: await openStoreOnce(options.lasting === true), logger }))()),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd,
    env,
    isTTY: process.stdout.isTTY === true,
    loadConfig: () => loadConfig({ root: cwd, env }),
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
    ...overrides,
  };
  const program = new Command('mailroom')
    .description('Turns Microsoft 365 mailboxes into helpdesk tickets and keeps Outlook calendars in sync.')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr })
    .exitOverride();
  registerCommands(program, deps);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    const appError = toAppError(error);
    reportError(appError, argv.includes('--json'), deps);
    return appError.exitCode;
  } finally {
    if (store) await (await store.catch(() => null))?.close();
  }
}
