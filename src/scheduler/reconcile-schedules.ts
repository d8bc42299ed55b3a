import type { Agenda } from 'agenda';
import type { JobConfig } from '../config/job-config.ts';
import { agendaJobNames, type AgendaJobData } from './agenda-job-names.ts';

export interface ReconcileResult {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/** A job runs when its file enables it, unless `mailroom jobs disable` said otherwise (and vice versa). */
export function isEffectivelyEnabled(job: JobConfig, overrides: ReadonlyMap<string, boolean>): boolean {
  return overrides.get(job.name) ?? job.enabled;
}

/**
 * Makes Agenda's repeating jobs match schedules/: new jobs scheduled, changed schedules updated, jobs whose file
 * entry is gone or disabled unscheduled. Idempotent: every worker may run it at start.
 */
export async function reconcileSchedules(agenda: Agenda, jobs: readonly JobConfig[], overrides: ReadonlyMap<string, boolean>): Promise<ReconcileResult> {
  const result: ReconcileResult = { added: [], changed: [], removed: [], unchanged: [] };
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

  for (const job of wanted.values()) {
    const agendaName = agendaJobNames[job.type];
    const current = (byJob.get(job.name) ?? []).find((d) => d.name === agendaName);
    if (current && current.repeatInterval === job.schedule && !current.disabled) {
      result.unchanged.push(job.name);
      continue;
    }
    // unique() makes the save an upsert on data.job: never two repeating jobs for one configured job.
    const created = agenda.create<AgendaJobData>(agendaName, { job: job.name });
    created.unique({ name: agendaName, 'data.job': job.name });
    created.repeatEvery(job.schedule, { skipImmediate: false });
    await created.save();
    (current ? result.changed : result.added).push(job.name);
  }
  return result;
}
