import type { Command } from 'commander';
import { toAppError } from '../../core/index.ts';
import { agendaJobNames, createScheduler } from '../../scheduler/index.ts';
import { assessHealth, healthExitCodes, type HealthReport, type ScheduledEntry } from '../../watch/index.ts';
import type { App } from '../../app.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable } from './format-table.ts';

async function readSchedule(app: App): Promise<ScheduledEntry[] | null> {
  try {
    const { jobs } = await createScheduler(app).agenda.queryJobs({ names: Object.values(agendaJobNames), includeDisabled: true, limit: 100_000 });
    return jobs.map((s) => ({
      job: (s.data as { job?: string } | undefined)?.job ?? '',
      nextRunAt: s.nextRunAt ? new Date(s.nextRunAt) : null,
      lockedAt: s.lockedAt ? new Date(s.lockedAt) : null,
    }));
  } catch {
    return null;
  }
}

/** What a monitor gets when the config or the database is out of reach: failing, with the reason. */
async function reportFor(deps: CliDeps): Promise<HealthReport> {
  let app: App;
  try {
    app = await deps.openApp();
  } catch (error) {
    const e = toAppError(error);
    const name = e.code.startsWith('CONFIG') ? 'config' : 'database';
    return { status: 'failing', checks: [{ name, status: 'fail', message: `${e.code}: ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) }] };
  }
  return assessHealth({ config: app.config, store: app.store, results: app.results, now: app.clock(), scheduled: await readSchedule(app) });
}

export function registerHealthCommands(program: Command, deps: CliDeps): void {
  program
    .command('health')
    .description('judge the service for a monitor: exit 0 healthy, 1 degraded, 2 failing')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await reportFor(deps);
      if (options.json) {
        deps.stdout(`${JSON.stringify(report)}\n`);
      } else {
        deps.stdout(`${report.status}\n`);
        const shown = report.checks.filter((c) => c.status !== 'ok' || report.status === 'healthy');
        deps.stdout(formatTable(['check', 'status', 'message'], shown.map((c) => [c.name, c.status, c.message])));
      }
      deps.setExitCode(healthExitCodes[report.status]);
    });
}
