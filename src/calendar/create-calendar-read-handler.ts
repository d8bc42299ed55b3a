import type { CalendarReadJobConfig } from '../config/job-config.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { CalendarHandlerDeps } from './create-calendar-publish-handler.ts';
import { runCalendarRead } from './run-calendar-read.ts';

/** Works with application permission (Calendars.Read) and with a delegated connection alike: the client carries the token. */
export function createCalendarReadHandler(deps: CalendarHandlerDeps): JobHandler<CalendarReadJobConfig> {
  return (job, ctx) => runCalendarRead({ store: deps.store, graph: deps.graphFor(job.connection, ctx.graphCalls), clock: deps.clock }, job, ctx);
}
