import type { Command } from 'commander';
import { AppError } from '../../core/index.ts';
import type { TicketChange, TicketPriority, TicketStatus } from '../../tickets/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

const statuses = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
const priorities = ['low', 'normal', 'high'] as const;

interface UpdateOptions {
  status?: string;
  priority?: string;
  assignee?: string;
  group?: string;
  due?: string;
  field?: string[];
  json?: boolean;
}

/** The command line as a ticket change; `none` clears assignee, group and due date. */
function parseChange(options: UpdateOptions): TicketChange {
  const change: TicketChange = {};
  if (options.status !== undefined) {
    if (!(statuses as readonly string[]).includes(options.status)) throw new AppError('USAGE', `--status must be one of ${statuses.join(', ')}, not "${options.status}"`);
    change.status = options.status as TicketStatus;
  }
  if (options.priority !== undefined) {
    if (!(priorities as readonly string[]).includes(options.priority)) throw new AppError('USAGE', `--priority must be one of ${priorities.join(', ')}, not "${options.priority}"`);
    change.priority = options.priority as TicketPriority;
  }
  if (options.assignee !== undefined) change.assignee = options.assignee === 'none' ? null : options.assignee;
  if (options.group !== undefined) change.group = options.group === 'none' ? null : options.group;
  if (options.due !== undefined) {
    const due = options.due === 'none' ? null : new Date(options.due);
    if (due && Number.isNaN(due.getTime())) throw new AppError('USAGE', `--due must be a date and time (e.g. 2026-12-24T12:00:00Z) or none, not "${options.due}"`);
    change.dueAt = due;
  }
  for (const pair of options.field ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new AppError('USAGE', `--field takes name=value, not "${pair}"`);
    change.fields = { ...change.fields, [pair.slice(0, at)]: pair.slice(at + 1) === '' ? null : pair.slice(at + 1) };
  }
  if (Object.keys(change).length === 0) throw new AppError('USAGE', 'nothing to change', { hint: 'Give at least one of --status, --priority, --assignee, --group, --due, --field.' });
  return change;
}

export function registerTicketsCommands(program: Command, deps: CliDeps): void {
  const tickets = program.command('tickets').description('look at the tickets Mailroom created');

  tickets
    .command('list')
    .description('newest tickets first')
    .option('--status <status>', `only ${statuses.join('|')}`)
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; limit: string; json?: boolean }) => {
      if (options.status && !(statuses as readonly string[]).includes(options.status)) throw new AppError('USAGE', `--status must be one of ${statuses.join(', ')}`);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('USAGE', `--limit must be a positive whole number, not "${options.limit}"`);
      const app = await deps.openApp();
      const list = await app.tickets.listTickets({ ...(options.status ? { status: options.status as (typeof statuses)[number] } : {}), limit });
      if (options.json) return void deps.stdout(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return void deps.stdout('no tickets yet\n');
      deps.stdout(formatTable(['#', 'status', 'priority', 'requester', 'subject', 'comments', 'created'], list.map((t) => [
        String(t.number), t.status, t.priority, t.requester?.address ?? '', shorten(t.subject, 50), String(t.commentCount), formatWhen(t.createdAt),
      ])));
    });

  tickets
    .command('show')
    .description('one ticket with its comments and attachments')
    .argument('<number>', 'ticket number, with or without #')
    .option('--json', 'print JSON')
    .action(async (raw: string, options: { json?: boolean }) => {
      const number = Number(raw.replace(/^#/, ''));
      if (!Number.isInteger(number)) throw new AppError('USAGE', `"${raw}" is not a ticket number`);
      const app = await deps.openApp();
      const ticket = await app.tickets.getTicket(number);
      const comments = await app.tickets.listComments(number);
      if (options.json) return void deps.stdout(`${JSON.stringify({ ...ticket, comments })}\n`);
      deps.stdout(`#${ticket.number} ${ticket.subject}\n`);
      deps.stdout(`status ${ticket.status}, priority ${ticket.priority}, requester ${ticket.requester ? `${ticket.requester.name} <${ticket.requester.address}>` : '-'}, assignee ${ticket.assignee ?? '-'}, due ${formatWhen(ticket.dueAt)}\n`);
      if (ticket.source) deps.stdout(`from ${ticket.source.mailbox} (job ${ticket.source.job}), message ${ticket.source.internetMessageId ?? ticket.source.graphId ?? '-'}\n`);
      deps.stdout(`\n${ticket.description}\n`);
      for (const a of ticket.attachments) deps.stdout(`  attachment: ${a.filename} (${a.contentType}, ${a.size} bytes${a.inline ? ', inline' : ''}${a.skipped ? `, not stored: ${a.skipped}` : ''})\n`);
      for (const c of comments) deps.stdout(`\n--- ${formatWhen(c.createdAt)} ${c.author?.address ?? ''}${c.internal ? ' (internal note)' : ''}\n${c.body}\n`);
    });

  tickets
    .command('update')
    .description('change a ticket (the same service code as PATCH /api/v1/tickets/{number}); each change records its event, so notification rules fire')
    .argument('<number>', 'ticket number, with or without #')
    .option('--status <status>', statuses.join('|'))
    .option('--priority <priority>', priorities.join('|'))
    .option('--assignee <who>', 'address or name; none unassigns')
    .option('--group <group>', 'group; none clears it')
    .option('--due <when>', 'due date and time (ISO 8601); none clears it')
    .option('--field <name=value>', 'set a custom field (repeat; name= removes it)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--json', 'print JSON')
    .action(async (raw: string, options: UpdateOptions) => {
      const number = Number(raw.replace(/^#/, ''));
      if (!Number.isInteger(number)) throw new AppError('USAGE', `"${raw}" is not a ticket number`);
      const change = parseChange(options);
      const app = await deps.openApp();
      const ticket = await app.tickets.updateTicket(number, change);
      if (options.json) return void deps.stdout(`${JSON.stringify(ticket)}\n`);
      deps.stdout(`#${ticket.number} ${ticket.status}, priority ${ticket.priority}, assignee ${ticket.assignee ?? '-'}, group ${ticket.group ?? '-'}, due ${formatWhen(ticket.dueAt)}\n`);
    });

  program
    .command('objects')
    .description('objects other than tickets that rules created (purchase orders, contracts, …)')
    .option('--type <type>', 'only this type')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (options: { type?: string; limit: string; json?: boolean }) => {
      const app = await deps.openApp();
      const list = await app.tickets.listObjects({ ...(options.type ? { type: options.type } : {}), limit: Number(options.limit) || 50 });
      if (options.json) return void deps.stdout(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return void deps.stdout('no objects yet\n');
      deps.stdout(formatTable(['type', 'title', 'fields', 'created'], list.map((o) => [
        o.type, shorten(o.title, 40), shorten(JSON.stringify(Object.fromEntries(Object.entries(o.fields).filter(([k]) => k !== 'description'))), 60), formatWhen(o.createdAt),
      ])));
    });
}
