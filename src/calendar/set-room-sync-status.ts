import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { RoomRecord, RoomSyncStatus } from './sync-rooms.ts';

/** Records how a room's last sync round went (`calendar list` and the job results show it). */
export async function setRoomSyncStatus(store: Store, room: string, status: RoomSyncStatus, at: Date, error: { code: string; message: string } | null = null): Promise<void> {
  await withStoreErrors('save room status', () => store.collection<RoomRecord>(collectionNames.rooms).updateOne(
    { _id: room }, { $set: { syncStatus: status, syncError: error, syncStatusAt: at } },
  ));
}
