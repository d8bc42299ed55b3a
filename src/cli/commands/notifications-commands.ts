import type { Command } from 'commander';
import { AppError, systemClock } from '../../core/index.ts';
import { createOutbox, type OutboxEntry, type OutboxStatus } from '../../notify/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

const statuses: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'suppressed'];

/** The JSON view: everything but the rendered bodies (they can be large; the subject identifies the mail). */
function toJson(entry: OutboxEntry): Record<string, unknown> {
  const { html: _html, text: _text, ...rest } = entry;
  return { key: entry._id, ...rest };
}

function describeOutcome(entry: OutboxEntry): string {
  if (entry.status === 'suppressed') return entry.reason ?? '';
  if (entry.lastError && entry.status !== 'sent') return `${entry.lastError.code}: ${entry.lastError.message}`;
  return '';
}

export function registerNotificationsCommands(program: Command, deps: CliDeps & { openStore(): Promise<Store> }): void {
  const notifications = program.command('notifications').description('mail Mailroom sent, will send, gave up on or suppressed');

  notifications
    .command('list')
    .description('newest notifications first')
    .option('--status <status>', `only ${statuses.join('|')}`)
    .option('--ticket <number>', 'only notifications about this ticket')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; ticket?: string; limit: string; json?: boolean }) => {
      if (options.status !== undefined && !(statuses as readonly string[]).includes(options.status)) {
        throw new AppError('USAGE', `--status must be one of ${statuses.join(', ')}, not "${options.status}"`);
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('USAGE', `--limit must be a positive whole number, not "${options.limit}"`);
      const ticketNumber = options.ticket === undefined ? undefined : Number(options.ticket.replace(/^#/, ''));
      if (ticketNumber !== undefined && !Number.isInteger(ticketNumber)) throw new AppError('USAGE', `--ticket needs a ticket number, not "${options.ticket}"`);

      const store = await deps.openStore();
      const list = await createOutbox(store, systemClock).list({
        ...(options.status ? { status: options.status as OutboxStatus } : {}),
        ...(ticketNumber === undefined ? {} : { ticketNumber }),
        limit,
      });
      if (options.json) return void deps.stdout(`${JSON.stringify(list.map(toJson))}\n`);
      if (list.length === 0) return void deps.stdout(`no notifications${options.status ? ` with status ${options.status}` : ''}\n`);
      deps.stdout(formatTable(['status', 'ticket', 'to', 'rule', 'subject', 'attempts', 'created', 'sent', 'why'], list.map((e) => [
        e.status, `#${e.ticketNumber}`, e.to, e.rule, shorten(e.subject, 50), String(e.attempts), formatWhen(e.createdAt), formatWhen(e.sentAt), shorten(describeOutcome(e), 60),
      ])));
    });
}
