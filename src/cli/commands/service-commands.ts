import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { createScheduler, defaultConcurrency } from '../../scheduler/index.ts';
import { AppError } from '../../core/index.ts';
import { importCalendarPlan } from '../../calendar/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { untilSignal } from '../until-signal.ts';
import { deliverDemoLiveMail, demoLiveMail } from './demo-live-mail.ts';
import { startHttpServer } from './serve-commands.ts';

interface RunOptions {
  withEmulator: boolean;
  /** `start` serves the API and console too; `worker` only runs jobs. */
  withHttp?: boolean;
  graceMs: number;
  /** Jobs this process runs at once (`--concurrency`). */
  concurrency: number;
}

/** `--concurrency`: a whole number of jobs from 1 to 256 (more only queue up on the database and the mailbox's Graph limits). */
export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return defaultConcurrency;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new AppError('USAGE', `--concurrency must be a whole number of jobs from 1 to 256, not "${value}"`, { hint: `Leave it out for the default of ${defaultConcurrency}.` });
  }
  return n;
}

/** A server or other resource the service opened; closed after the scheduler has stopped, last opened first. */
export interface Closable {
  name: string;
  close(): Promise<void>;
}

async function closeAll(closables: readonly Closable[], deps: CliDeps): Promise<void> {
  for (const closable of [...closables].reverse()) {
    try {
      await closable.close();
    } catch (error) {
      deps.logger.warn(`closing ${closable.name} failed: ${(error as Error).message}`);
    }
  }
}

async function runService(deps: CliDeps, options: RunOptions): Promise<void> {
  // Signals are caught from the start: one that arrives while the database is being prepared also ends the service.
  const signal = untilSignal();
  const closables: Closable[] = [];
  try {
    await serve(deps, options, closables, signal);
  } finally {
    // The database is closed by main() once the command returns, after everything that uses it.
    await closeAll(closables, deps);
  }
}

async function serve(deps: CliDeps, options: RunOptions, closables: Closable[], stopSignal: Promise<string>): Promise<void> {
  const { logger } = deps;
  let emulator: RunningEmulator | undefined;
  if (options.withEmulator) {
    emulator = await startEmulator({
      port: Number(deps.env.MAILROOM_EMULATOR_PORT ?? '0'),
      tenantFile: resolve(deps.cwd, 'fixtures/tenants/demo.json'),
      stateDir: resolve(deps.cwd, '.mailroom', 'emulator'),
    });
    closables.push({ name: 'emulator', close: () => emulator!.close() });
    logger.info(`emulator with the demo tenant at ${emulator.url} (tenant ${emulator.tenantId})`);
  }
  const app = await deps.openApp({ lasting: true });
  if (emulator) {
    // The demo's planned work (appointments for alice and bob) is what the calendar-publish job puts in Outlook.
    const plan = await importCalendarPlan(app.store, resolve(deps.cwd, 'fixtures/calendar/demo-plan.json'), { full: false, clock: app.clock });
    logger.info('demo: planned work imported for the calendar jobs', { ...plan });
  }
  let liveMailSent = false;
  const host = !emulator ? app : {
    ...app,
    async afterRun(name: string) {
      await app.afterRun(name);
      if (name !== demoLiveMail.job || liveMailSent) return;
      liveMailSent = true;
      await deliverDemoLiveMail(emulator, resolve(deps.cwd, demoLiveMail.file), app.clock());
      logger.info(`demo: a new mail arrived in ${demoLiveMail.mailbox} ${demoLiveMail.folder} after ${demoLiveMail.job} connected (the mail found there at first is backlog, never acknowledged); its ticket and acknowledgement follow within a minute`);
    },
  };
  const scheduler = createScheduler(host, { processEveryMs: 2000, maxConcurrency: options.concurrency });
  const reconciled = await scheduler.start();
  const active = [...reconciled.added, ...reconciled.changed, ...reconciled.unchanged];
  logger.info(`scheduled ${active.length} job(s): ${active.join(', ') || 'none'}`, { database: app.store.origin === 'uri' ? 'MONGODB_URI' : `embedded ${app.store.origin === 'shared' ? 'server of another command' : app.store.origin} at ${app.store.uri}` });
  if (emulator) {
    logger.info('demo: the jobs read the emulated mailboxes now; in another terminal try `npx mailroom tickets list`, `npx mailroom objects`, `npx mailroom jobs results`, `npx mailroom notifications list`');
    logger.info(`demo: deliver more mail with: curl --cacert ${emulator.caFile} -X POST --data-binary @fixtures/rules/default/new-request.eml -H 'content-type: message/rfc822' '${emulator.url}/_emulator/mailboxes/support@contoso.example/messages?folder=Inbox/Support'`);
  }
  const http = options.withHttp ? await startHttpServer(app, deps) : undefined;
  let httpOpen = http !== undefined;
  if (http) closables.push({ name: 'HTTP server', close: async () => { if (httpOpen) await http.close(); } });
  const signal = await stopSignal;
  logger.info(`${signal}: finishing running jobs (at most ${Math.round(options.graceMs / 1000)} s), then stopping; a second signal ends it at once`);
  // No new requests (a "run now", a replay) while the running jobs finish.
  if (http) {
    httpOpen = false;
    await http.close();
  }
  await scheduler.stop(options.graceMs);
  logger.info('stopped');
}

/** The demo runs when asked, or when every configured connection is an emulated one (nothing real to talk to). */
function wantsEmulator(deps: CliDeps, connections: readonly { cloud?: string }[]): boolean {
  if (deps.env.MAILROOM_DEMO !== undefined) return deps.env.MAILROOM_DEMO !== '0' && deps.env.MAILROOM_DEMO !== 'false';
  return connections.every((c) => c.cloud === 'emulator');
}

export function registerServiceCommands(program: Command, deps: CliDeps): void {
  program
    .command('start')
    .description('all in one: the database (embedded unless MONGODB_URI is set), a worker, and the demo emulator when no real tenant is configured')
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long running jobs may take to finish', '30')
    .option('--concurrency <jobs>', `jobs its worker runs at once (default ${defaultConcurrency})`)
    .action(async (options: { grace: string; concurrency?: string }) => {
      const concurrency = parseConcurrency(options.concurrency);
      const config = await deps.loadConfig();
      await runService(deps, { withEmulator: wantsEmulator(deps, config.connections), withHttp: true, graceMs: Number(options.grace) * 1000, concurrency });
    });

  program
    .command('worker')
    .description('run scheduled jobs; start as many workers on as many machines as you like against one MongoDB')
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long running jobs may take to finish', '30')
    .option('--concurrency <jobs>', `jobs this worker runs at once (default ${defaultConcurrency})`)
    .action(async (options: { grace: string; concurrency?: string }) => {
      const concurrency = parseConcurrency(options.concurrency);
      // The same complete check as `start` and `config validate`: a worker refuses a broken configuration up front.
      await deps.loadConfig();
      await runService(deps, { withEmulator: false, graceMs: Number(options.grace) * 1000, concurrency });
    });
}
