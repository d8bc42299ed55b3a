import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { AppError } from '../../core/index.ts';
import type { JobRunRecord } from '../../jobs/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { createScheduler, describeJobs, setJobEnabled } from '../../scheduler/index.ts';
import { backlogText, describeJobBacklogs } from '../../http/describe-job-backlog.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || '-';
}

function printRun(run: JobRunRecord, deps: CliDeps): void {
  const took = run.endedAt ? `${((run.endedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)} s` : 'running';
  deps.stdout(`run ${run._id}  job ${run.job} (${run.type})  ${run.status}  ${formatWhen(run.startedAt)}  ${took}\n`);
  deps.stdout(`counts: ${countsText(run.counts)}\n`);
  deps.stdout(`graph: ${run.graph.requests} requests, ${run.graph.operations} operations\n`);
  if (run.error) deps.stdout(`error ${run.error.code}: ${run.error.message}\n${run.error.hint ? `  ${run.error.hint}\n` : ''}`);
  for (const note of run.notes) deps.stdout(`note: ${note}\n`);
  if (run.items.length > 0) {
    deps.stdout('\n');
    deps.stdout(formatTable(['outcome', 'subject', 'sender', 'rule', 'target', 'error'], run.items.map((i) => [
      i.outcome, shorten(i.subject ?? '', 40), i.sender ?? '', i.rule ?? '', i.target ?? '', i.error ? `${i.error.code}: ${shorten(i.error.message, 60)}` : '',
    ])));
  }
  for (const item of run.items) {
    for (const warning of (item.warnings as string[] | undefined) ?? []) deps.stdout(`warning (${shorten(item.subject ?? item.key, 40)}): ${warning}\n`);
  }
  if (run.itemsOmitted > 0) deps.stdout(`(${run.itemsOmitted} more items not stored)\n`);
}

export function registerJobsCommands(program: Command, deps: CliDeps): void {
  const jobs = program.command('jobs').description('run jobs and review their results');

  jobs
    .command('run')
    .description('run a job once, here and now, and show its result')
    .argument('<name>', 'job name from schedules/')
    .option('--json', 'print the run record as JSON')
    .option('--queue', 'ask the running workers to run it as soon as they can, instead of running it here')
    .option('--wait', 'while the job runs elsewhere, wait until it is free (without it: say so and exit 1)')
    .action(async (name: string, options: { json?: boolean; queue?: boolean; wait?: boolean }) => {
      const app = await deps.openApp();
      app.findJob(name);
      if (options.queue) {
        await createScheduler(app).queue(name);
        if (options.json) deps.stdout(`${JSON.stringify({ queued: name })}\n`);
        else deps.stdout(`queued ${name}: a worker runs it within seconds; see \`mailroom jobs results ${name}\`\n`);
        return;
      }
      const bar = deps.isTTY && !options.json ? new SingleBar({ format: ' {bar} {value} messages | {label}', hideCursor: true }, Presets.shades_classic) : null;
      bar?.start(0, 0, { label: '' });
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      try {
        const run = await app.runJobNow(name, {
          signal: controller.signal,
          wait: options.wait === true,
          onProgress: (p) => {
            bar?.setTotal(p.total ?? p.done);
            bar?.update(p.done, { label: shorten(p.label ?? '', 40) });
          },
        });
        bar?.stop();
        if (options.json) deps.stdout(`${JSON.stringify(run)}\n`);
        else printRun(run, deps);
        if (run.status === 'failed' || run.status === 'aborted') deps.setExitCode(1);
      } finally {
        bar?.stop();
        process.off('SIGINT', stop);
      }
    });

  jobs
    .command('list')
    .description('every configured job with its schedule, state, last run and next run')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const app = await deps.openApp();
      const rows = await describeJobs(app);
      const backlogs = await describeJobBacklogs(app.store, app.config.jobs);
      if (options.json) return void deps.stdout(`${JSON.stringify(rows.map((r) => ({ ...r, backlog: backlogs.get(r.name) ?? null })))}\n`);
      deps.stdout(formatTable(['job', 'type', 'schedule', 'enabled', 'running', 'last run', 'next run', 'push', 'backlog'], rows.map((r) => [
        r.name, r.type, r.schedule, `${r.enabled ? 'yes' : 'no'}${r.override ? ' (override)' : ''}`, r.running ? 'yes' : 'no',
        r.lastRun ? `${formatWhen(r.lastRun.startedAt)} ${r.lastRun.status}` : '-', r.nextRunAt ? formatWhen(new Date(r.nextRunAt)) : r.enabled ? 'when a worker starts' : '-',
        r.push ? `${r.push.status}${r.push.expiresAt ? ` until ${formatWhen(r.push.expiresAt)}` : ''}${r.push.lastNotificationAt ? `, last ${formatWhen(r.push.lastNotificationAt)}` : ''}, missed ${r.push.missed}` : 'polling',
        backlogs.has(r.name) ? backlogText(backlogs.get(r.name)!, formatWhen) : '-',
      ])));
    });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    jobs
      .command(verb)
      .description(`${verb} a job at runtime (stored in the database; the schedule file stays the definition)`)
      .argument('<name>', 'job name')
      .action(async (name: string) => {
        const app = await deps.openApp();
        await setJobEnabled(app, createScheduler(app), name, enabled);
        deps.stdout(`${name} ${enabled ? 'enabled' : 'disabled'}\n`);
      });
  }

  jobs
    .command('results')
    .description('list recent runs, newest first')
    .argument('[name]', 'only this job')
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('USAGE', `--limit must be a positive whole number, not "${options.limit}"`);
      const app = await deps.openApp();
      if (name) app.findJob(name);
      const runs = await app.results.list({ ...(name ? { job: name } : {}), limit });
      if (options.json) {
        deps.stdout(`${JSON.stringify(runs)}\n`);
        return;
      }
      if (runs.length === 0) {
        deps.stdout('no runs yet: run a job with `mailroom jobs run <name>` or start the service with `mailroom start`\n');
        return;
      }
      deps.stdout(formatTable(['run', 'job', 'status', 'started', 'counts', 'graph requests'], runs.map((r) => [
        r._id, r.job, r.status, formatWhen(r.startedAt), countsText(r.counts), String(r.graph.requests),
      ])));
    });

  jobs
    .command('prune')
    .description('remove finished runs older than some days, with their lines (running ones stay)')
    .option('--older-than <days>', 'age in days', '30')
    .option('--json', 'print JSON')
    .action(async (options: { olderThan: string; json?: boolean }) => {
      const days = Number(options.olderThan);
      if (!Number.isFinite(days) || days < 0) throw new AppError('USAGE', `--older-than must be a number of days, not "${options.olderThan}"`);
      const app = await deps.openApp();
      const before = new Date(app.clock().getTime() - days * 86_400_000);
      const removed = await app.results.prune(before);
      if (options.json) deps.stdout(`${JSON.stringify({ before, ...removed })}\n`);
      else deps.stdout(`removed ${removed.runs} run(s) started before ${formatWhen(before)} (${removed.itemPages} page(s) of lines)\n`);
    });

  jobs
    .command('show')
    .description('show one run with a line per message')
    .argument('<run-id>', 'from `mailroom jobs results`')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const app = await deps.openApp();
      const run = await app.results.get(id);
      if (options.json) deps.stdout(`${JSON.stringify(run)}\n`);
      else printRun(run, deps);
    });
}
