import type { GraphClient } from '../graph/index.ts';
import { mailroomHashProperty, mailroomIdProperty, ownedEventsFilter, ownedPropertiesExpand, readExtendedProperty, type ExtendedPropertyValue } from './calendar-properties.ts';
import type { OwnedEvent } from './plan-publish.ts';
import { fromGraphDateTime } from './wall-clock.ts';

interface GraphEvent {
  id: string;
  end?: { dateTime: string; timeZone: string };
  singleValueExtendedProperties?: ExtendedPropertyValue[];
}

/**
 * Every event in the mailbox's calendars that carries our id property: nothing else is ever touched. `/events`
 * lists single instances and series masters (our events are single instances), and UTC is asked for so `end`
 * reads as an instant. https://learn.microsoft.com/en-us/graph/api/user-list-events
 */
export async function listOwnedEvents(graph: GraphClient, mailboxPath: string, signal?: AbortSignal): Promise<OwnedEvent[]> {
  // $select keeps pages small; the expanded properties come back all the same (https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter).
  const query = `$select=id,end&$filter=${encodeURIComponent(ownedEventsFilter)}&$expand=${encodeURIComponent(ownedPropertiesExpand)}&$top=100`;
  const events: OwnedEvent[] = [];
  const options = { headers: { Prefer: 'outlook.timezone="UTC"' }, ...(signal ? { signal } : {}) };
  for await (const page of graph.paginate<GraphEvent>(`${mailboxPath}/events?${query}`, options)) {
    for (const event of page) {
      const itemKey = readExtendedProperty(event, mailroomIdProperty);
      if (itemKey === null) continue;
      events.push({ eventId: event.id, itemKey, hash: readExtendedProperty(event, mailroomHashProperty), endsAt: fromGraphDateTime(event.end) });
    }
  }
  return events;
}
