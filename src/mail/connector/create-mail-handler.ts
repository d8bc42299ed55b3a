import type { Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import type { GraphClient, GraphCallCounter } from '../../graph/index.ts';
import type { JobHandler } from '../../jobs/index.ts';
import type { Store } from '../../store/index.ts';
import type { NotificationBounces, TicketStore } from '../../tickets/index.ts';
import { runMailJob } from './run-mail-job.ts';

export interface MailHandlerDeps {
  store: Store;
  tickets: TicketStore;
  /** The shared Graph client of a connection, counting into the given counter too. */
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  clock: Clock;
  root: string;
  /** Where delivery reports for our notifications are recorded (src/notify's outbox). */
  bounces?: NotificationBounces;
}

export function createMailHandler(deps: MailHandlerDeps): JobHandler<MailJobConfig> {
  return async (job, ctx) => {
    const graph = deps.graphFor(job.connection, ctx.graphCalls);
    return runMailJob({ store: deps.store, tickets: deps.tickets, graph, clock: deps.clock, root: deps.root, ...(deps.bounces ? { bounces: deps.bounces } : {}) }, job, ctx);
  };
}
