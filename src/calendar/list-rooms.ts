import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { RoomRecord } from './sync-rooms.ts';

/** The rooms the room-sync jobs have listed, with each one's sync status, by address. */
export async function listRooms(store: Store): Promise<RoomRecord[]> {
  return withStoreErrors('list rooms', () => store.collection<RoomRecord>(collectionNames.rooms).find().sort({ _id: 1 }).toArray());
}
