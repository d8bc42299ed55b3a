import type { Command } from 'commander';
import { AppError, systemClock } from '../../core/index.ts';
import { createOutbox, createSuppressionList, type OutboxEntry, type OutboxStatus, type SuppressedAddress } from '../../notify/index.ts';
import { redeliverWebhooks } from '../../notify/webhooks/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

const statuses: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'bounced'];

/** The JSON view: everything but the rendered bodies (they can be large; the subject identifies the mail). */
function toJson(entry: OutboxEntry): Record<string, unknown> {
  const { html: _html, text: _text, ...rest } = entry;
  return { key: entry._id, ...rest };
}

function describeOutcome(entry: OutboxEntry): string {
  if (entry.status === 'bounced' && entry.bounce) return [entry.bounce.action, entry.bounce.status, entry.bounce.diagnostic].filter(Boolean).join(' ');
  if (entry.status === 'suppressed' && entry.reason === 'bounced' && entry.lastError) return `bounced: ${entry.lastError.message}`;
  if (entry.status === 'suppressed') return entry.reason ?? '';
  const delayed = entry.deliveryReports?.findLast((r) => r.action === 'delayed');
  if (delayed && entry.status === 'sent') return `delayed ${delayed.status ?? ''}`.trim();
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
      if (list.length === 0) deps.stdout(`no notifications${options.status ? ` with status ${options.status}` : ''}\n`);
      else {
        deps.stdout(formatTable(['status', 'ticket', 'to', 'rule', 'subject', 'attempts', 'created', 'sent', 'why'], list.map((e) => [
          e.status, `#${e.ticketNumber}`, e.to, e.rule, shorten(e.subject, 50), String(e.attempts), formatWhen(e.createdAt), formatWhen(e.sentAt), shorten(describeOutcome(e), 60),
        ])));
      }
      // A suppressed address needs a person (a corrected address, then a lift): say so under every listing.
      const suppressed = await createSuppressionList(store, systemClock).list();
      if (suppressed.length > 0) deps.stdout(`\nnot mailed after repeated hard bounces (lift with \`mailroom notifications unsuppress <address>\`):\n${suppressedTable(suppressed)}`);
    });

  notifications
    .command('suppressed')
    .description('addresses Mailroom stopped mailing after repeated hard bounces')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const store = await deps.openStore();
      const list = await createSuppressionList(store, systemClock).list();
      if (options.json) return void deps.stdout(`${JSON.stringify(list.map(suppressionJson))}\n`);
      deps.stdout(list.length === 0 ? 'no suppressed addresses\n' : suppressedTable(list));
    });

  notifications
    .command('unsuppress <address>')
    .description('mail an address again after its hard bounces were dealt with (its bounces count from zero)')
    .option('--json', 'print JSON')
    .action(async (address: string, options: { json?: boolean }) => {
      const store = await deps.openStore();
      const lifted = await createSuppressionList(store, systemClock).lift(address);
      if (options.json) return void deps.stdout(`${JSON.stringify(suppressionJson(lifted))}\n`);
      deps.stdout(`${lifted._id} is mailed again; notifications suppressed before stay suppressed\n`);
    });

  notifications
    .command('redeliver <target>')
    .description('queue the events a webhook target did not accept in all their attempts again, once the target is fixed')
    .option('--json', 'print JSON')
    .action(async (target: string, options: { json?: boolean }) => {
      const app = await deps.openApp();
      const queued = await redeliverWebhooks(app.store, app.clock, app.config.http?.webhooks ?? [], target);
      if (options.json) return void deps.stdout(`${JSON.stringify({ target, queued })}\n`);
      deps.stdout(queued === 0 ? `${target} has no failed deliveries\n` : `queued ${queued} event(s) to ${target} again: the notifications job delivers them on its next run\n`);
    });
}

function suppressionJson(entry: SuppressedAddress): Record<string, unknown> {
  const { _id, ...rest } = entry;
  return { address: _id, ...rest };
}

function suppressedTable(list: readonly SuppressedAddress[]): string {
  return formatTable(['address', 'hard bounces', 'last', 'since'], list.map((s) => [
    s._id, String(s.hardBounces.length), shorten([s.lastBounce?.status, s.lastBounce?.diagnostic].filter(Boolean).join(' '), 60), formatWhen(s.suppressedAt),
  ]));
}
