/**
 * The single-value extended properties Mailroom stamps on the events it owns. A fixed property set GUID keeps the
 * ids stable across installs; the Name part is case-sensitive on Exchange.
 * https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get
 */
export const calendarPropertySet = '{2fc2ffbf-ba92-4ed4-a0fb-fef5464cc034}';

/** Our item key (e.g. `appointment:A-1001`, `reservation:R-7`): how a run finds its events again. */
export const mailroomIdProperty = `String ${calendarPropertySet} Name mailroomId`;

/** Hash of the content we last wrote, so a run can tell "unchanged" without our database. */
export const mailroomHashProperty = `String ${calendarPropertySet} Name mailroomHash`;

/**
 * `$filter` for "events carrying our id, whatever its value". A filter on an extended property needs a value
 * condition; `ne null` is the documented way to test existence
 * (https://learn.microsoft.com/en-us/office/dev/add-ins/outlook/extended-properties-rest, the cecp example).
 */
export const ownedEventsFilter = `singleValueExtendedProperties/Any(ep: ep/id eq '${mailroomIdProperty}' and ep/value ne null)`;

/** `$expand` that returns both of our properties and nothing else. */
export const ownedPropertiesExpand = `singleValueExtendedProperties($filter=id eq '${mailroomIdProperty}' or id eq '${mailroomHashProperty}')`;

export interface ExtendedPropertyValue {
  id: string;
  value: string;
}

/** Reads one of our properties from an event fetched with `ownedPropertiesExpand` (ids compared case-insensitively). */
export function readExtendedProperty(event: { singleValueExtendedProperties?: ExtendedPropertyValue[] }, id: string): string | null {
  // Exchange may echo the GUID in another case; our two Names differ by more than case.
  const found = event.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === id.toLowerCase());
  return found?.value ?? null;
}
