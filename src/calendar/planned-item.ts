/**
 * Planned work stored in the `appointments` collection. One collection holds all three kinds so the publish job
 * reads one place; `_id` is `<kind>:<externalId>` (the item key stamped on the Outlook event).
 * Times are instants (Dates); the publish job renders them in its time zone.
 */
export type PlannedItemKind = 'appointment' | 'unavailability' | 'workingDay';

interface PlannedItemBase {
  _id: string;
  kind: PlannedItemKind;
  externalId: string;
  /** Lower-case mailbox address of the person; null = un-planned (an appointment without a resource). */
  resource: string | null;
  /** +1 on every content change: part of the creation transactionId. */
  version: number;
  updatedAt: Date;
}

export interface AppointmentItem extends PlannedItemBase {
  kind: 'appointment';
  title: string;
  start: Date | null;
  end: Date | null;
  customer?: string;
  address?: string;
  phone?: string;
  notes?: string;
}

export interface UnavailabilityItem extends PlannedItemBase {
  kind: 'unavailability';
  start: Date;
  end: Date;
  reason?: string;
}

/** A day the person works although they normally would not (or different hours). */
export interface WorkingDayItem extends PlannedItemBase {
  kind: 'workingDay';
  /** `YYYY-MM-DD` in the publish job's time zone. */
  date: string;
  /** `HH:MM`; both absent = the whole day. */
  from?: string;
  to?: string;
  note?: string;
}

export type PlannedItem = AppointmentItem | UnavailabilityItem | WorkingDayItem;

/** The fields an import or API call supplies; the store adds _id, version and updatedAt. */
export type PlannedItemInput =
  | Omit<AppointmentItem, '_id' | 'version' | 'updatedAt'>
  | Omit<UnavailabilityItem, '_id' | 'version' | 'updatedAt'>
  | Omit<WorkingDayItem, '_id' | 'version' | 'updatedAt'>;

export function plannedItemKey(kind: PlannedItemKind, externalId: string): string {
  return `${kind}:${externalId}`;
}
