import type { Command } from 'commander';
import type { App } from '../../app.ts';
import { AppError } from '../../core/index.ts';
import type { QuarantineService } from '../../mail/connector/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen, shorten } from './format-table.ts';

function serviceOf(app: App): QuarantineService {
  return app.quarantine;
}

/** `mailroom quarantine list [<job>]` and `mailroom quarantine replay <job> [<id>|--all]`. */
export function registerQuarantineCommands(program: Command, deps: CliDeps): void {
  const quarantine = program.command('quarantine').description('mail that failed maxAttempts times: see why, replay after a fix');

  quarantine
    .command('list')
    .description('quarantined mail with the reason, newest first')
    .argument('[job]', 'only this mail job')
    .option('--json', 'print JSON')
    .action(async (job: string | undefined, options: { json?: boolean }) => {
      const list = await serviceOf(await deps.openApp()).list(job ?? null);
      if (options.json) return void deps.stdout(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return void deps.stdout('no quarantined mail\n');
      deps.stdout(formatTable(['id', 'job', 'subject', 'sender', 'attempts', 'reason', 'since'], list.map((m) => [
        m.key, m.job, shorten(m.subject, 40), m.sender ?? '', String(m.attempts), m.error ? `${m.error.code}: ${shorten(m.error.message, 60)}` : '', formatWhen(m.quarantinedAt),
      ])));
    });

  quarantine
    .command('replay')
    .description('process quarantined mail again with the current rules, exactly once')
    .argument('<job>', 'mail job')
    .argument('[id]', 'the id `quarantine list` shows (or the mail\'s Graph id)')
    .option('--all', 'every quarantined mail of the job')
    .option('--json', 'print JSON')
    .action(async (job: string, id: string | undefined, options: { all?: boolean; json?: boolean }) => {
      if (!id && !options.all) throw new AppError('USAGE', 'name the mail to replay (an id from `mailroom quarantine list`) or give --all');
      if (id && options.all) throw new AppError('USAGE', 'give either an id or --all, not both');
      const result = await serviceOf(await deps.openApp()).replay(job, id ?? null);
      if (options.json) return void deps.stdout(`${JSON.stringify(result)}\n`);
      if (result.replayed.length === 0) deps.stdout(`no quarantined mail in ${job}\n`);
      for (const item of result.items) {
        deps.stdout(`${item.outcome}  ${shorten(item.subject ?? '', 50)}  ${item.target ?? ''}${item.error ? `  ${item.error.code}: ${item.error.message}` : ''}\n`);
        for (const warning of (item.warnings as string[] | undefined) ?? []) deps.stdout(`  warning: ${warning}\n`);
      }
      const from = { 'raw-mime': 'from its stored raw MIME (gone from the mailbox)', 'stand-in': 'from the stand-in kept in place of its MIME (gone from the mailbox, and Graph could not convert it): sender, subject and date only' };
      for (const r of result.replayed) if (r.from !== 'mailbox') deps.stdout(`"${shorten(r.subject, 50)}" was replayed ${from[r.from]}\n`);
      deps.stdout(`replayed ${result.replayed.length} mail in run ${result.run._id} (${result.run.status})\n`);
      if (result.items.some((item) => item.outcome === 'failed' || item.outcome === 'quarantined')) deps.setExitCode(1);
    });
}
