import type { DeltaMessage } from './delta-item.ts';
import type { MailRun, WorkItem } from './mail-run.ts';

/** A progress line in the log each time this many more backlog mails went by, so a large first run shows it moves. */
const progressEvery = 1000;

/**
 * Backlog left in the mailbox has the outcome `skipped`, recorded as one line per delta page with the count in
 * `mails` (a first connection to a mailbox of 40,000 mails writes some hundred lines, not 40,000): `seen` stays
 * the sum of the outcomes. The mail itself is untouched (no post-actions); the ledger does not list it, the job's
 * recorded first run and `since` keep it out of every later run, resyncs included.
 */
export function recordBacklog(run: MailRun, skipped: readonly DeltaMessage[], work: readonly WorkItem[]): void {
  const before = run.backlogSeen.skipped + run.backlogSeen.imported;
  // What the per-run cap leaves for the next run (deferred) is counted there, when it is processed.
  const room = Math.max(0, run.job.limits.messagesPerRun - run.handled);
  run.backlogSeen.imported += work.slice(0, room).filter((w) => w.backlog && w.entry?.status !== 'done').length;
  if (skipped.length > 0) {
    const { ctx } = run;
    const received = skipped.map((m) => m.receivedDateTime ?? '').filter((d) => d !== '').sort();
    const cutoff = run.backlog.cutoff?.toISOString() ?? '';
    run.backlogSeen.skipped += skipped.length;
    run.backlogSeen.pages += 1;
    ctx.run.count('seen', skipped.length);
    ctx.run.count('skipped', skipped.length);
    ctx.run.addItem({
      key: `backlog|${run.backlogSeen.pages}|${skipped[0]!.id}`, outcome: 'skipped', mails: skipped.length, action: 'none',
      subject: `backlog: ${skipped.length} mail${skipped.length === 1 ? '' : 's'} left in the mailbox (received before ${cutoff})`,
      receivedFrom: received[0] ?? null, receivedTo: received[received.length - 1] ?? null,
    });
    ctx.onProgress({ done: run.handled, total: null, label: `backlog: ${run.backlogSeen.skipped} skipped` });
  }
  const after = run.backlogSeen.skipped + run.backlogSeen.imported;
  if (Math.floor(after / progressEvery) > Math.floor(before / progressEvery)) {
    run.ctx.logger.info(`backlog of ${run.job.folder}: ${after} mails so far (${run.backlogSeen.skipped} skipped, ${run.backlogSeen.imported} imported as backlog)`, { job: run.job.name });
  }
}

/** The run's note on the backlog it met, naming the setting, so an operator reads why mail was or was not taken. */
export function noteBacklog(run: MailRun): void {
  const { skipped, imported } = run.backlogSeen;
  if (skipped === 0 && imported === 0) return;
  const { setting, cutoff, firstRunAt } = run.backlog;
  const parts = [
    ...(skipped > 0 ? [`${skipped} mail${skipped === 1 ? '' : 's'} received before ${cutoff?.toISOString() ?? '?'} skipped (left in the mailbox untouched)`] : []),
    ...(imported > 0 ? [`${imported} mail${imported === 1 ? '' : 's'} from before the first run imported as backlog (never acknowledged)`] : []),
  ];
  run.ctx.run.note(`backlog (${setting.mode}${setting.mode === 'import' ? `, since ${setting.sinceText}` : ''}; first run ${firstRunAt?.toISOString() ?? '?'}): ${parts.join('; ')}`);
}
