import { AppError, type Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import type { GraphClient } from '../../graph/index.ts';
import type { JobHandlerContext } from '../../jobs/index.ts';
import type { CompiledRuleSet, PostActions } from '../../rules/index.ts';
import type { Store } from '../../store/index.ts';
import type { NotificationBounces, ThreadIndex, TicketStore } from '../../tickets/index.ts';
import type { DeltaMessage } from './delta-item.ts';
import type { MailBacklog } from './mail-backlog.ts';
import type { LedgerEntry, LedgerIdentity, MessageLedger } from './message-ledger.ts';

/**
 * The outcomes a mail can end a run with; `seen` is always their sum. `skipped`: backlog left in the mailbox
 * untouched on the first connection (mail-backlog.ts), recorded as one line per delta page with its `mails` count.
 */
export type MailOutcome = 'created' | 'updated' | 'ignored' | 'duplicate' | 'failed' | 'quarantined' | 'gone' | 'deferred' | 'skipped';

/** A mail the run works on: from the delta round, or from the ledger (an earlier run left it unfinished). */
export interface WorkItem {
  key: string;
  item: DeltaMessage;
  /** Its ledger entry, when it has one. */
  entry?: LedgerEntry;
  /** Only the post-actions are left (a run stopped after the database writes). */
  pending?: boolean;
  /** An earlier run died while this mail was in flight with others: it is processed on its own. */
  suspect?: boolean;
  /** Found in the folder on the job's first connection and imported (`backlog: "import"`): its ticket is never acknowledged. */
  backlog?: boolean;
}

/** One shape for a mail that failed on its own, whatever the step. */
export interface MailFailure {
  key: string;
  error: AppError;
  stage: 'fetch' | 'decide' | 'apply' | 'post-action' | 'interrupted';
}

/** One mail's line in the run. */
export interface OutcomeLine {
  outcome: MailOutcome;
  rule?: string | null;
  action?: string;
  target?: string;
  error?: { code: string; message: string };
  attempts?: number;
  duplicateOf?: string;
  warnings?: string[];
  parseWarnings?: string[];
}

export interface MailRunDeps {
  store: Store;
  tickets: TicketStore;
  threads: ThreadIndex;
  graph: GraphClient;
  clock: Clock;
  ledger: MessageLedger;
  ruleSet: CompiledRuleSet;
  job: MailJobConfig;
  ctx: JobHandlerContext;
  folderId(path: string): Promise<string>;
  /** Where delivery reports for our notifications are matched and recorded (notify's outbox); absent: they follow the rules. */
  bounces?: NotificationBounces;
}

/** The state of one run: its dependencies and the count of mail handled so far (for the per-run cap). */
export interface MailRun extends MailRunDeps {
  handled: number;
  /** How mail found on the job's first connection is sorted, and what this run did with it so far. */
  backlog: MailBacklog;
  backlogSeen: { skipped: number; imported: number; pages: number };
  /** While mail is fetched ahead (work-through.ts), resolves once no fetch is in flight; see graphIdle. */
  graphIdle?: () => Promise<void>;
}

/** Waits for the run's fetch ahead, if one is in flight, before another Graph request of the run is sent (unit-prefetch.ts). */
export async function graphIdle(run: MailRun): Promise<void> {
  await run.graphIdle?.();
}

export function identityOf(run: MailRunDeps, work: WorkItem): LedgerIdentity {
  return {
    _id: work.key, job: run.job.name, mailbox: run.job.mailbox, graphId: work.item.id,
    internetMessageId: work.item.internetMessageId ?? work.entry?.internetMessageId ?? null,
    subject: work.item.subject ?? work.entry?.subject ?? '',
    sender: work.item.from?.emailAddress?.address ?? work.entry?.sender ?? null,
    ...(work.backlog || work.entry?.backlog ? { backlog: true } : {}),
  };
}

/** Records a mail's one outcome in the run: its count, `seen`, its line and the progress. */
export function recordOutcome(run: MailRun, work: WorkItem, line: OutcomeLine): void {
  const { ctx } = run;
  ctx.run.count('seen');
  ctx.run.count(line.outcome);
  const identity = identityOf(run, work);
  ctx.run.addItem({ key: work.key, subject: identity.subject, sender: identity.sender ?? '', ...line });
  run.handled += 1;
  ctx.onProgress({ done: run.handled, total: null, label: identity.subject });
}

/** The counter an applied change counts under. */
export function outcomeOfAction(action: string): MailOutcome {
  if (action === 'added-comment' || action === 'recorded-bounce') return 'updated';
  if (action === 'created-ticket' || action === 'created-object') return 'created';
  if (action === 'duplicate') return 'duplicate';
  return 'ignored';
}

/** The job's post-processing defaults in the rules' vocabulary. */
export function jobPostActions(job: MailJobConfig): PostActions {
  const { markRead, moveTo, flag, categories } = job.postActions;
  return { markRead, flag, ...(moveTo ? { moveTo } : {}), ...(categories.length > 0 ? { categories } : {}) };
}

export function checkAbort(run: MailRunDeps): void {
  if (run.ctx.signal.aborted) throw new AppError('JOB_ABORTED', `job ${run.job.name} was stopped; it resumes where it stood on its next run`);
}
