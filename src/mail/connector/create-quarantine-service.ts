import { AppError, type Clock } from '../../core/index.ts';
import type { JobConfig, MailJobConfig } from '../../config/job-config.ts';
import { createCallCounter, type GraphCallCounter, type GraphClient } from '../../graph/index.ts';
import type { JobRunRecord } from '../../jobs/index.ts';
import type { Store } from '../../store/index.ts';
import { listQuarantine, type QuarantinedMail } from './list-quarantine.ts';
import { replayQuarantined, type ReplayResult } from './replay-quarantined.ts';

export interface QuarantineServiceDeps {
  store: Store;
  clock: Clock;
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  findJob(name: string): JobConfig;
  runJob(name: string): Promise<JobRunRecord>;
}

/** What the CLI (`mailroom quarantine …`) and the HTTP API both call: one implementation, two faces. */
export interface QuarantineService {
  list(job?: string | null): Promise<QuarantinedMail[]>;
  /** `key` null: every quarantined mail of the job. */
  replay(job: string, key: string | null): Promise<ReplayResult>;
}

export function createQuarantineService(deps: QuarantineServiceDeps): QuarantineService {
  const mailJob = (name: string): MailJobConfig => {
    const job = deps.findJob(name);
    if (job.type !== 'mail') throw new AppError('USAGE', `job ${name} is a ${job.type} job; only mail jobs quarantine mail`);
    return job;
  };
  return {
    list: (job) => {
      if (job) mailJob(job);
      return listQuarantine(deps.store, { job: job ?? null });
    },
    replay: (name, key) => {
      const job = mailJob(name);
      return replayQuarantined({ store: deps.store, clock: deps.clock, graph: deps.graphFor(job.connection, createCallCounter()), runJob: deps.runJob }, job, key);
    },
  };
}
