import type { Agenda } from 'agenda';
import type { JobConfig } from '../config/job-config.ts';
import { withStoreErrors, type Store } from '../store/index.ts';
import { agendaJobNames, type AgendaJobData } from './agenda-job-names.ts';
import { intervalOf, spreadStart } from './job-phase.ts';

/** The collection @agendajs/mongo-backend keeps its entries in (its default). */
const agendaCollection = 'agendaJobs';

export interface ReconcileResult {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  /**
   * When each job this reconciliation (re)scheduled runs first: new and changed jobs, and unchanged ones whose time
   * had passed while no worker ran them; spread over their interval by their phases (job-phase.ts).
   */
  firstRuns: Record<string, Date>;
}

/** A job runs when its file enables it, unless `mailroom jobs disable` said otherwise (and vice versa). */
export function isEffectivelyEnabled(job: JobConfig, overrides: ReadonlyMap<string, boolean>): boolean {
  return overrides.get(job.name) ?? job.enabled;
}

/**
 * Makes Agenda's repeating jobs match schedules/: new jobs scheduled, changed schedules updated, jobs whose file
 * entry is gone or disabled unscheduled. Idempotent: every worker may run it at start. Jobs that would all be due
 * at once (the first start of many jobs, or all workers restarted after their times passed) are spread instead.
 */
export async function reconcileSchedules(agenda: Agenda, store: Store, jobs: readonly JobConfig[], overrides: ReadonlyMap<string, boolean>, now = new Date()): Promise<ReconcileResult> {
  const result: ReconcileResult = { added: [], changed: [], removed: [], unchanged: [], firstRuns: {} };
  const names = Object.values(agendaJobNames);
  const existing = (await agenda.queryJobs({ names, includeDisabled: true, limit: 100_000 })).jobs;
  const byJob = new Map<string, (typeof existing)[number][]>();
  for (const doc of existing) {
    const key = (doc.data as AgendaJobData | undefined)?.job ?? '';
    byJob.set(key, [...(byJob.get(key) ?? []), doc]);
  }
  const wanted = new Map(jobs.filter((j) => isEffectivelyEnabled(j, overrides)).map((j) => [j.name, j]));

  for (const [name, docs] of byJob) {
    const job = wanted.get(name);
    const stale = docs.filter((d) => !job || d.name !== agendaJobNames[job.type]);
    for (const doc of stale) await agenda.cancel({ id: String(doc._id) });
    if (stale.length > 0 && !job) result.removed.push(name);
  }

  const toSave: { job: JobConfig; current: boolean }[] = [];
  const overdue: { job: JobConfig; interval: string }[] = [];
  for (const job of wanted.values()) {
    const agendaName = agendaJobNames[job.type];
    const current = (byJob.get(job.name) ?? []).find((d) => d.name === agendaName);
    if (current && current.repeatInterval === job.schedule && !current.disabled) {
      result.unchanged.push(job.name);
      // Due but locked by no worker: no worker has been running it. Left as it is, every such job would start at once.
      if (!current.lockedAt && current.nextRunAt && new Date(current.nextRunAt) < now) overdue.push({ job, interval: String(current.repeatInterval) });
      continue;
    }
    toSave.push({ job, current: current !== undefined });
  }
  const dueTogether = toSave.length + overdue.length;
  const startedAt = Date.now();
  const saved: { job: JobConfig; interval: number; at: Date }[] = [];
  for (const { job, current } of toSave) {
    const agendaName = agendaJobNames[job.type];
    // unique() makes the save an upsert on data.job: never two repeating jobs for one configured job.
    const created = agenda.create<AgendaJobData>(agendaName, { job: job.name });
    created.unique({ name: agendaName, 'data.job': job.name });
    created.repeatEvery(job.schedule, { skipImmediate: false });
    // A cron job's first run is its expression's next time, which Agenda computed; an interval job's is spread.
    const interval = intervalOf(job.schedule);
    if (interval !== null) created.schedule(spreadStart(job.name, interval, now, dueTogether));
    await created.save();
    (current ? result.changed : result.added).push(job.name);
    if (created.attrs.nextRunAt) result.firstRuns[job.name] = created.attrs.nextRunAt;
    if (interval !== null && created.attrs.nextRunAt) saved.push({ job, interval, at: created.attrs.nextRunAt });
  }
  // Saving a thousand entries one by one takes a while (a minute on a loaded machine), and the spread is counted from
  // when they were all in place, so none is late before a worker can take it: one more write for all of them. Only
  // entries as this saved them (unlocked, untouched) or still overdue are moved; one a worker took meanwhile keeps its run.
  const anchor = new Date(now.getTime() + (Date.now() - startedAt));
  const moves = [
    ...(saved.length > 1 ? saved : []).map(({ job, interval, at }) => ({ job, interval, filter: { lockedAt: null, nextRunAt: at } })),
    ...overdue.map(({ job, interval }) => ({ job, interval: intervalOf(interval), filter: { lockedAt: null, nextRunAt: { $lt: now } } })),
  ].map(({ job, interval, filter }) => {
    const at = spreadStart(job.name, interval, anchor, dueTogether);
    result.firstRuns[job.name] = at;
    return { updateOne: { filter: { name: agendaJobNames[job.type], 'data.job': job.name, ...filter }, update: { $set: { nextRunAt: at } } } };
  });
  if (moves.length > 0) await withStoreErrors('spread jobs due together', () => store.db.collection(agendaCollection).bulkWrite(moves, { ordered: false }));
  return result;
}
