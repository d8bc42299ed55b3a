import type { RoomSyncJobConfig } from '../config/job-config.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { CalendarHandlerDeps } from './create-calendar-publish-handler.ts';
import { runRoomSync, type RoomSyncOptions } from './run-room-sync.ts';

/** The scheduled room sync; `calendar resync` builds one with `{ full: true }`. */
export function createRoomSyncHandler(deps: CalendarHandlerDeps, options: RoomSyncOptions = {}): JobHandler<RoomSyncJobConfig> {
  return (job, ctx) => runRoomSync({ store: deps.store, graph: deps.graphFor(job.connection, ctx.graphCalls), clock: deps.clock }, job, ctx, options);
}
