import type { GraphClient } from '../graph/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

/** A room of the tenant (`rooms`), from the Places API. */
export interface RoomRecord {
  /** Lower-case room mailbox address. */
  _id: string;
  placeId: string;
  emailAddress: string;
  displayName: string;
  capacity: number | null;
  building: string | null;
  floorLabel: string | null;
  floorNumber: number | null;
  bookingType: string | null;
  isWheelChairAccessible: boolean | null;
  syncedAt: Date;
  /** `pending` until a room-sync round of this room first succeeds, then `active`; `error` (with `syncError`) after a failed one. */
  syncStatus?: RoomSyncStatus;
  syncError?: { code: string; message: string } | null;
  syncStatusAt?: Date;
}

export type RoomSyncStatus = 'pending' | 'active' | 'error';

interface GraphRoom {
  id: string;
  emailAddress: string;
  displayName: string;
  capacity?: number | null;
  building?: string | null;
  floorLabel?: string | null;
  floorNumber?: number | null;
  bookingType?: string | null;
  isWheelChairAccessible?: boolean | null;
}

/**
 * Lists rooms with the Places API (a room list's rooms, or all rooms) and upserts them into `rooms`. Rooms hidden
 * from the address list are not returned by Graph. https://learn.microsoft.com/en-us/graph/api/place-list
 */
export async function syncRooms(graph: GraphClient, store: Store, options: { roomList?: string; only?: readonly string[]; at: Date; signal?: AbortSignal }): Promise<RoomRecord[]> {
  const path = options.roomList
    ? `/places/${encodeURIComponent(options.roomList)}/microsoft.graph.roomlist/rooms`
    : '/places/microsoft.graph.room';
  const only = options.only ? new Set(options.only.map((r) => r.toLowerCase())) : null;
  const rooms: RoomRecord[] = [];
  for await (const page of graph.paginate<GraphRoom>(path, options.signal ? { signal: options.signal } : {})) {
    for (const room of page) {
      const id = room.emailAddress.toLowerCase();
      if (only && !only.has(id)) continue;
      rooms.push({
        _id: id, placeId: room.id, emailAddress: room.emailAddress, displayName: room.displayName, capacity: room.capacity ?? null,
        building: room.building ?? null, floorLabel: room.floorLabel ?? null, floorNumber: room.floorNumber ?? null,
        bookingType: room.bookingType ?? null, isWheelChairAccessible: room.isWheelChairAccessible ?? null, syncedAt: options.at,
      });
    }
  }
  const collection = store.collection<RoomRecord>(collectionNames.rooms);
  // The Places fields are Graph's; the sync status is ours and starts as pending for a room seen the first time.
  for (const room of rooms) {
    const { _id, ...fields } = room;
    await withStoreErrors('save room', () => collection.updateOne({ _id }, {
      $set: fields, $setOnInsert: { syncStatus: 'pending', syncError: null, syncStatusAt: options.at },
    }, { upsert: true }));
  }
  return rooms;
}

