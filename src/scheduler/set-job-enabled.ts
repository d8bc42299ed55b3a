import type { Scheduler, SchedulerHost } from './create-scheduler.ts';
import { setJobOverride } from './job-overrides.ts';

/**
 * Enables or disables a job at runtime (`jobs enable|disable`, POST /api/v1/jobs/{name}/enable|disable): stored in the
 * database, then the schedules are reconciled so the workers pick it up; the schedule file stays the definition.
 */
export async function setJobEnabled(host: SchedulerHost & { clock: () => Date }, scheduler: Pick<Scheduler, 'reconcile'>, name: string, enabled: boolean): Promise<void> {
  host.findJob(name);
  await setJobOverride(host.store, name, enabled, host.clock());
  await scheduler.reconcile();
}
