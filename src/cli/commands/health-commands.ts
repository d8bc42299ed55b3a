import type { Command } from 'commander';
import { toAppError } from '../../core/index.ts';
import { describeJobs } from '../../scheduler/index.ts';
import { assessHealth, healthExitCodes, type HealthReport, type ScheduledEntry } from '../../watch/index.ts';
import type { App } from '../../app.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable } from './format-table.ts';

/** The schedule as the scheduler describes it; null when it cannot be read (then health does not judge it). */
async function readSchedule(app: App): Promise<ScheduledEntry[] | null> {
  try {
    return (await describeJobs(app)).map((d) => ({ job: d.name, nextRunAt: d.nextRunAt ? new Date(d.nextRunAt) : null, running: d.running }));
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
