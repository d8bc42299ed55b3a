import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError, systemClock } from '../../core/index.ts';
import { createRoomSyncHandler, importCalendarPlan, listCalendarEvents, listRooms, readCalendarImport, type RoomRecord } from '../../calendar/index.ts';
import type { RoomSyncJobConfig } from '../../config/job-config.ts';
import { runJob, type JobHandler } from '../../jobs/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

function parseDateOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new AppError('USAGE', `${name} must be a date (2026-12-01) or date-time, not "${value}"`);
  return date;
}

/** Rooms with their sync status: `pending` until first synced, `active`, or `error` with the reason of the last failed round. */
function printRooms(rooms: readonly RoomRecord[], json: boolean, stdout: (text: string) => void): void {
  const view = rooms.map((r) => ({
    room: r._id, displayName: r.displayName, status: r.syncStatus ?? 'pending', since: r.syncStatusAt ?? null, reason: r.syncError ?? null,
  }));
  if (json) {
    stdout(`${JSON.stringify(view)}\n`);
    return;
  }
  if (view.length === 0) {
    stdout('no rooms yet (has a room-sync job run?)\n');
    return;
  }
  stdout(formatTable(['room', 'name', 'status', 'since (UTC)', 'reason'], view.map((r) => [
    r.room, shorten(r.displayName, 30), r.status, r.since ? formatWhen(r.since) : '', r.reason ? `${r.reason.code}: ${shorten(r.reason.message, 60)}` : '',
  ])));
}

/**
 * `mailroom calendar import | list | resync`. Import and list need only the database; resync runs a room-sync job
 * in full (both sides compared, drift repaired) and records it in the job results like any run.
 */
export function registerCalendarCommands(program: Command, deps: CliDeps & { openStore(): Promise<Store> }): void {
  const calendar = program.command('calendar').description('planned work, users\' calendars and room reservations');

  calendar
    .command('import')
    .description('upsert appointments, unavailabilities, working days and room reservations from a JSON file (by id)')
    .argument('<file>', 'import file (schema: src/config/schemas/calendar-import.schema.json)')
    .option('--full', 'the file is complete: items of its sections that it no longer lists are removed (reservations cancelled)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { full?: boolean; json?: boolean }) => {
      // Validate before touching the database, so a bad file fails fast without one.
      const path = resolve(deps.cwd, file);
      await readCalendarImport(path, file);
      const store = await deps.openStore();
      const summary = await importCalendarPlan(store, path, { full: options.full === true, clock: systemClock, displayName: file });
      if (options.json) {
        deps.stdout(`${JSON.stringify(summary)}\n`);
        return;
      }
      const i = summary.items;
      deps.stdout(`${file}: planned items ${i.created} created, ${i.updated} updated, ${i.unchanged} unchanged, ${i.removed} removed\n`);
      const r = summary.reservations;
      if (r) deps.stdout(`${file}: room reservations ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.cancelled} cancelled\n`);
      deps.stdout('the next calendar-publish and room-sync runs write the changes to Outlook\n');
    });

  calendar
    .command('list')
    .description('a user\'s calendar as last read by a calendar-read job; without --user, the room calendars with their sync status')
    .option('--user <upn>', 'mailbox address')
    .option('--from <date>', 'only events ending after this (date or date-time; default: now)')
    .option('--to <date>', 'only events starting before this')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; from?: string; to?: string; json?: boolean }) => {
      const from = parseDateOption('--from', options.from) ?? systemClock();
      const to = parseDateOption('--to', options.to);
      const store = await deps.openStore();
      if (options.user === undefined) {
        printRooms(await listRooms(store), options.json === true, deps.stdout);
        return;
      }
      const events = await listCalendarEvents(store, { user: options.user, from, ...(to ? { to } : {}) });
      if (options.json) {
        deps.stdout(`${JSON.stringify(events)}\n`);
        return;
      }
      if (events.length === 0) {
        deps.stdout(`no events for ${options.user} in that range (has a calendar-read job run for this user?)\n`);
        return;
      }
      deps.stdout(formatTable(['start (UTC)', 'end (UTC)', 'subject', 'type', 'show as', 'location'], events.map((e) => [
        e.isAllDay ? `${formatWhen(e.start).slice(0, 10)} (all day)` : formatWhen(e.start), e.isAllDay ? formatWhen(e.end).slice(0, 10) : formatWhen(e.end),
        `${e.isCancelled ? '[cancelled] ' : ''}${shorten(e.subject ?? '', 50)}`, e.type, e.showAs ?? '', shorten(e.location ?? '', 30),
      ])));
    });

  calendar
    .command('resync')
    .description('room sync in full: compare every room calendar with Mailroom\'s reservations and repair drift')
    .argument('<job>', 'a room-sync job from schedules/')
    .option('--json', 'print the run record as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const app = await deps.openApp();
      const job = app.findJob(name);
      if (job.type !== 'room-sync') throw new AppError('USAGE', `job "${name}" is a ${job.type} job; resync works on room-sync jobs`);
      const handler = createRoomSyncHandler({ store: app.store, graphFor: app.graphFor, clock: app.clock, logger: app.logger }, { full: true });
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      try {
        const run = await runJob(job as RoomSyncJobConfig, handler as JobHandler<RoomSyncJobConfig>, { results: app.results, logger: app.logger, signal: controller.signal });
        if (options.json) deps.stdout(`${JSON.stringify(run)}\n`);
        else {
          deps.stdout(`run ${run._id}  ${run.status}  ${Object.entries(run.counts).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}\n`);
          if (run.error) deps.stdout(`error ${run.error.code}: ${run.error.message}\n${run.error.hint ? `${run.error.hint}\n` : ''}`);
          const rows = run.items.map((i) => [i.outcome, String(i.room ?? ''), shorten(i.subject ?? '', 40), i.key, i.error ? `${i.error.code}: ${shorten(i.error.message, 60)}` : '']);
          if (rows.length > 0) deps.stdout(formatTable(['outcome', 'room', 'subject', 'reservation', 'error'], rows));
        }
        if (run.status === 'failed' || run.status === 'aborted') deps.setExitCode(1);
      } finally {
        process.off('SIGINT', stop);
      }
    });
}
