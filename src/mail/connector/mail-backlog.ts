import { backlogCutoff, backlogSetting, type BacklogSetting } from '../../config/backlog-setting.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

/** Per job: when it first read its folder. null for a job that ran before this was recorded (it has no backlog). */
interface BacklogStartDoc {
  _id: string;
  firstRunAt: Date | null;
  recordedAt: Date;
  /** The delta round under way lists the whole folder (see MailBacklog.fullRead); kept for its next pages on later runs. */
  fullRound?: boolean;
}

/** How one run sorts the mail it finds by receivedDateTime (README, "First connection to a full mailbox"). */
export interface MailBacklog {
  setting: BacklogSetting;
  /** When the job first read its folder; null: the job is older than this setting, nothing is backlog. */
  firstRunAt: Date | null;
  /** Mail received before it is not imported; null: none is skipped. */
  cutoff: Date | null;
  /**
   * Whether the delta round being read lists the whole folder (the first connection, a resync, a dropped position):
   * only then is old mail backlog. Mail a later round reports is new to the folder, e.g. moved in by a person, and is
   * processed whatever its date.
   */
  readonly fullRead: boolean;
  /** 'skip': left in the mailbox untouched; 'backlog': imported, never acknowledged; 'new': processed as any mail. */
  classify(receivedDateTime: string | null | undefined): 'skip' | 'backlog' | 'new';
  /** A delta round starts: from no link (a full read), or goes on from a saved link of that kind. */
  beginRound(from: 'start' | 'next' | 'delta'): Promise<void>;
  /** The round ended with its deltaLink: what follows are changes. */
  endRound(): Promise<void>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The job's backlog for this run. The first run records its start once (kept across resyncs and folder changes, so
 * the cut never moves and a resync never imports skipped mail); a job that already has a delta position or ledger
 * entries ran before backlog existed and gets none, so an upgrade changes nothing.
 */
export async function loadMailBacklog(store: Store, job: MailJobConfig, now: Date): Promise<MailBacklog> {
  const starts = store.collection<BacklogStartDoc>(collectionNames.mailBacklog);
  let doc = await withStoreErrors('read backlog start', () => starts.findOne({ _id: job.name }));
  if (!doc) {
    const ranBefore = (await withStoreErrors('read delta state', () => store.collection(collectionNames.deltaState).countDocuments({ _id: { $regex: `^${escapeRegex(job.name)}\\|` } as never }, { limit: 1 }))) > 0
      || (await withStoreErrors('read message ledger', () => store.collection(collectionNames.mailLedger).countDocuments({ job: job.name }, { limit: 1 }))) > 0;
    // Whole seconds, as Graph's receivedDateTime has them: mail of the run's first second counts as new, never as old.
    const firstRunAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    await withStoreErrors('record backlog start', () =>
      starts.updateOne({ _id: job.name }, { $setOnInsert: { firstRunAt: ranBefore ? null : firstRunAt, recordedAt: now } }, { upsert: true }));
    doc = await withStoreErrors('read backlog start', () => starts.findOne({ _id: job.name }));
  }
  let stored = doc?.fullRound === true;
  const view = backlogOf(job, doc?.firstRunAt ?? null);
  let fullRead = false;
  // Written only when it changes (a round starts or ends), so an ordinary poll costs no extra write.
  const remember = async (value: boolean): Promise<void> => {
    fullRead = value;
    if (stored === value) return;
    await withStoreErrors('record backlog round', () => starts.updateOne({ _id: job.name }, { $set: { fullRound: value } }));
    stored = value;
  };
  return {
    ...view,
    get fullRead() { return fullRead; },
    classify: (receivedDateTime) => (fullRead ? view.classify(receivedDateTime) : 'new'),
    beginRound: (from) => remember(from === 'start' ? true : from === 'next' ? stored : false),
    endRound: () => remember(false),
  };
}

/** The backlog as the job's next run will see it, without recording a first run; null when the job has not run yet. */
export async function readMailBacklog(store: Store, job: MailJobConfig): Promise<Pick<MailBacklog, 'setting' | 'firstRunAt' | 'cutoff'> | null> {
  const doc = await withStoreErrors('read backlog start', () => store.collection<BacklogStartDoc>(collectionNames.mailBacklog).findOne({ _id: job.name }));
  return doc ? backlogOf(job, doc.firstRunAt) : null;
}

/** readMailBacklog for many jobs in one query (`jobs list`, the API's job list): by job name, only jobs that ran. */
export async function readMailBacklogs(store: Store, jobs: readonly MailJobConfig[]): Promise<Map<string, Pick<MailBacklog, 'setting' | 'firstRunAt' | 'cutoff'>>> {
  const docs = jobs.length === 0 ? [] : await withStoreErrors('read backlog starts', () =>
    store.collection<BacklogStartDoc>(collectionNames.mailBacklog).find({ _id: { $in: jobs.map((j) => j.name) } }).toArray());
  const byName = new Map(docs.map((d) => [d._id, d]));
  return new Map(jobs.flatMap((job) => {
    const doc = byName.get(job.name);
    return doc ? [[job.name, backlogOf(job, doc.firstRunAt)] as const] : [];
  }));
}

/** The cut and the sorting by date, as a full read of the folder applies them. */
function backlogOf(job: MailJobConfig, firstRunAt: Date | null): Pick<MailBacklog, 'setting' | 'firstRunAt' | 'cutoff' | 'classify'> {
  const setting = backlogSetting(job);
  // A job older than this setting keeps what its fixed `since` date always meant: older mail is left alone.
  const cutoff = firstRunAt ? backlogCutoff(setting, firstRunAt) : job.since !== undefined && setting.since.kind === 'date' ? setting.since.at : null;
  return {
    setting, firstRunAt, cutoff,
    classify(receivedDateTime) {
      // Mail without a receivedDateTime (Graph always sends one) is never held back: nothing is lost on a guess.
      const at = receivedDateTime ? Date.parse(receivedDateTime) : Number.NaN;
      if (Number.isNaN(at)) return 'new';
      if (cutoff !== null && at < cutoff.getTime()) return 'skip';
      return firstRunAt !== null && at < firstRunAt.getTime() ? 'backlog' : 'new';
    },
  };
}
