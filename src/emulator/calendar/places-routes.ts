import { json } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import { matchesFilter } from '../http/odata-filter.ts';
import { applySelect, parseQueryOptions } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import type { OperationContext, RouteMeta } from '../graph/operation-context.ts';
import { pageOf } from '../graph/paging.ts';
import { PLACES_READ } from '../graph/permissions.ts';
import type { RoomDefinition, RoomListDefinition } from '../tenant-definition.ts';

function roomJson(room: RoomDefinition): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.room',
    id: room.id,
    emailAddress: room.emailAddress,
    displayName: room.displayName,
    address: null,
    geoCoordinates: null,
    phone: null,
    nickname: room.nickname ?? room.displayName,
    label: null,
    capacity: room.capacity ?? null,
    building: room.building ?? null,
    floorLabel: room.floorLabel ?? null,
    floorNumber: room.floorNumber ?? null,
    isWheelChairAccessible: room.isWheelChairAccessible ?? false,
    bookingType: room.bookingType ?? 'standard',
    tags: room.tags ?? [],
    audioDeviceName: null,
    videoDeviceName: null,
    displayDeviceName: null,
  };
}

function roomListJson(list: RoomListDefinition): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.roomList', id: list.id, displayName: list.displayName, emailAddress: list.emailAddress, address: null, geoCoordinates: null, phone: null };
}

function listPlaces(ctx: OperationContext, items: Record<string, unknown>[], context: string): ReturnType<typeof json> {
  const options = parseQueryOptions(ctx.op.query);
  const filtered = options.filter === undefined ? items : items.filter((item) => matchesFilter(options.filter as NonNullable<typeof options.filter>, item));
  return json(200, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#${context}`, ...pageOf(ctx, filtered, options.skip, options.top ?? 100, (p) => applySelect(p, options.select)) });
}

function findList(ctx: OperationContext): RoomListDefinition {
  const key = (ctx.params.place ?? '').toLowerCase();
  const list = ctx.env.state().roomLists.find((l) => l.id.toLowerCase() === key || l.emailAddress.toLowerCase() === key);
  if (list === undefined) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return list;
}

/** Rooms and room lists (https://learn.microsoft.com/en-us/graph/api/place-list). */
export function registerPlacesRoutes(router: Router<RouteMeta>): void {
  const meta = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'places', permissions: PLACES_READ, handler });
  const rooms = (ctx: OperationContext): RoomDefinition[] => ctx.env.state().definition.rooms ?? [];
  router.add('GET', '/places/microsoft.graph.room', meta((ctx) => listPlaces(ctx, rooms(ctx).map(roomJson), 'places/microsoft.graph.room')));
  router.add('GET', '/places/microsoft.graph.roomlist', meta((ctx) => listPlaces(ctx, ctx.env.state().roomLists.map(roomListJson), 'places/microsoft.graph.roomList')));
  router.add('GET', '/places/{place}/microsoft.graph.roomlist/rooms', meta((ctx) => {
    const list = findList(ctx);
    const members = new Set(list.rooms.map((r) => r.toLowerCase()));
    return listPlaces(ctx, rooms(ctx).filter((r) => members.has(r.emailAddress.toLowerCase())).map(roomJson), `places('${list.emailAddress}')/microsoft.graph.roomList/rooms`);
  }));
  router.add('GET', '/places/{place}/microsoft.graph.roomlist', meta((ctx) => json(200, roomListJson(findList(ctx)))));
  router.add('GET', '/places/{place}', meta((ctx) => {
    const key = (ctx.params.place ?? '').toLowerCase();
    const room = rooms(ctx).find((r) => r.id.toLowerCase() === key || r.emailAddress.toLowerCase() === key);
    if (room !== undefined) return json(200, roomJson(room));
    return json(200, roomListJson(findList(ctx)));
  }));
}
