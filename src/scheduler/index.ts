export { createScheduler, defaultConcurrency, type Scheduler, type SchedulerOptions } from './create-scheduler.ts';
export { reconcileSchedules, isEffectivelyEnabled, type ReconcileResult } from './reconcile-schedules.ts';
export { readJobOverrides, setJobOverride } from './job-overrides.ts';
export { agendaJobNames } from './agenda-job-names.ts';
export { createJobWaker, type JobWaker } from './create-job-waker.ts';
export { setJobEnabled } from './set-job-enabled.ts';
export { describeJobs, describeTarget, type JobDescription, type DescribeJobsHost, type JobPushDescription, type PushStatesPort } from './describe-jobs.ts';
export { jobPhase, nextSlot, spreadStart, intervalOf } from './job-phase.ts';
