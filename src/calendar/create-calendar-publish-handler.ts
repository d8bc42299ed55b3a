import type { Clock } from '../core/index.ts';
import type { CalendarPublishJobConfig } from '../config/job-config.ts';
import type { GraphCallCounter, GraphClient } from '../graph/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { runCalendarPublish } from './run-calendar-publish.ts';

/** What every calendar job handler needs from the composition root. */
export interface CalendarHandlerDeps {
  store: Store;
  /** The shared Graph client of a connection, counting into the given counter too. */
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  clock: Clock;
  logger: Logger;
}

export function createCalendarPublishHandler(deps: CalendarHandlerDeps): JobHandler<CalendarPublishJobConfig> {
  return (job, ctx) => runCalendarPublish({ store: deps.store, graph: deps.graphFor(job.connection, ctx.graphCalls), clock: deps.clock }, job, ctx);
}
