import { AppError, isAppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

/** A full "Sync All" of a room-sync job's linked room calendars may start only this long after the previous one. */
export const fullRoomSyncIntervalMs = 10 * 60_000;

/** When a room-sync job's last full sync started (`calendar_state`, `_id` `roomFullSync|<job>`). */
interface FullRoomSyncMark {
  _id: string;
  kind: 'roomFullSync';
  job: string;
  startedAt: Date;
}

/**
 * Claims the job's full-sync slot at `now`, or refuses with CALENDAR_FULL_SYNC_TOO_SOON when the previous full
 * sync started less than 10 minutes earlier. A full sync reads every room calendar in whole windows, which is what
 * Exchange's per-mailbox budget is least fond of. Atomic across workers: one conditional update, else one insert
 * that the unique `_id` lets only one process win.
 */
export async function claimFullRoomSync(store: Store, job: string, now: Date): Promise<void> {
  const marks = store.collection<FullRoomSyncMark>(collectionNames.calendarState);
  const _id = `roomFullSync|${job}`;
  const cutoff = new Date(now.getTime() - fullRoomSyncIntervalMs);
  const moved = await withStoreErrors('claim full room sync', () => marks.updateOne({ _id, startedAt: { $lte: cutoff } }, { $set: { startedAt: now } }));
  if (moved.matchedCount === 1) return;
  try {
    await withStoreErrors('claim full room sync', () => marks.insertOne({ _id, kind: 'roomFullSync', job, startedAt: now }));
    return;
  } catch (error) {
    if (!isAppError(error, 'STORE_DUPLICATE_KEY')) throw error;
  }
  const last = await withStoreErrors('read full room sync', () => marks.findOne({ _id }));
  const startedAt = last?.startedAt ?? now;
  const next = new Date(startedAt.getTime() + fullRoomSyncIntervalMs);
  throw new AppError('CALENDAR_FULL_SYNC_TOO_SOON',
    `a full sync of room-sync job "${job}" started at ${startedAt.toISOString()}; all room calendars may be synced in full only every 10 minutes, so the next one may start at ${next.toISOString()}`,
    { hint: 'Try again after that time; the scheduled sync keeps picking up changes meanwhile.', details: { job, lastStartedAt: startedAt.toISOString(), nextAllowedAt: next.toISOString() } });
}
