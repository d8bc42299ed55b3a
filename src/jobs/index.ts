export { createJobResults, type JobResults, type JobRun, type ListRunsQuery } from './job-results.ts';
export type { JobRunItem, JobRunRecord, JobRunStatus, JobRunSummary } from './job-run-record.ts';
export { runJob, type RunJobOptions } from './run-job.ts';
export type { JobHandler, JobHandlerContext, JobHandlerResult, JobProgress } from './job-handler.ts';
export { createJobLocks, type JobLocks, type HeldJobLock, type JobLockDoc } from './job-locks.ts';
export { runJobWithLock, type RunJobWithLockOptions } from './run-job-with-lock.ts';
