/** Calendar lane: publish planned work, read Outlook calendars, sync room calendars. The folder's only public face. */
export { createCalendarPublishHandler, type CalendarHandlerDeps } from './create-calendar-publish-handler.ts';
export { createCalendarReadHandler } from './create-calendar-read-handler.ts';
export { createRoomSyncHandler } from './create-room-sync-handler.ts';
export type { RoomSyncOptions } from './run-room-sync.ts';
export { createPlanStore, type PlanStore, type UpsertSummary } from './create-plan-store.ts';
export { createReservationStore, type ReservationStore } from './create-reservation-store.ts';
export { importCalendarPlan, readCalendarImport, type CalendarImport, type CalendarImportSummary } from './import-calendar-plan.ts';
export { listCalendarEvents } from './list-calendar-events.ts';
export type { CalendarEventRecord } from './calendar-event-record.ts';
export type { PlannedItem, PlannedItemInput, PlannedItemKind, AppointmentItem, UnavailabilityItem, WorkingDayItem } from './planned-item.ts';
export type { RoomReservation, ReservationInput } from './room-reservation.ts';
export type { RoomRecord, RoomSyncStatus } from './sync-rooms.ts';
export { listRooms } from './list-rooms.ts';
export { roomSyncConfigWarnings } from './room-sync-config-warnings.ts';
export { fullRoomSyncIntervalMs } from './claim-full-room-sync.ts';
export { mailroomIdProperty, mailroomHashProperty, calendarPropertySet } from './calendar-properties.ts';
