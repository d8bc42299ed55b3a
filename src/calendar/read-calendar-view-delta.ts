import { isAppError } from '../core/index.ts';
import type { GraphClient } from '../graph/index.ts';
import type { CalendarWindow } from './calendar-window.ts';

export interface DeltaRoundHandlers<T> {
  changed(items: T[]): Promise<void>;
  removed(ids: string[]): Promise<void>;
}

export interface DeltaRoundResult {
  deltaLink: string;
  /** True when this was an initial round (everything in the window was listed): the caller may sweep. */
  full: boolean;
  /** True when a saved link had expired and the round started over. */
  restarted: boolean;
}

/**
 * One calendarView delta round for a mailbox. Without a saved link (or when Graph says it expired) an initial round
 * lists the whole window; otherwise only changes come, deletions and cancelled occurrences as `@removed`. Times
 * come in UTC; `$select` is not supported on this API, so whole events arrive.
 * https://learn.microsoft.com/en-us/graph/delta-query-events
 */
export async function readCalendarViewDelta<T>(
  graph: GraphClient, mailboxPath: string, window: CalendarWindow, deltaLink: string | null, handlers: DeltaRoundHandlers<T>, signal?: AbortSignal,
): Promise<DeltaRoundResult> {
  const options = { headers: { Prefer: 'outlook.timezone="UTC", odata.maxpagesize=100' }, ...(signal ? { signal } : {}) };
  const initial = `${mailboxPath}/calendarView/delta?startDateTime=${encodeURIComponent(window.start.toISOString())}&endDateTime=${encodeURIComponent(window.end.toISOString())}`;
  const round = async (start: string): Promise<string> => {
    for await (const page of graph.deltaPages<T>(start, options)) {
      if (page.items.length > 0) await handlers.changed(page.items);
      if (page.removed.length > 0) await handlers.removed(page.removed);
      if (page.deltaLink !== null) return page.deltaLink;
    }
    throw new Error('delta round ended without a deltaLink');
  };
  if (deltaLink === null) return { deltaLink: await round(initial), full: true, restarted: false };
  try {
    return { deltaLink: await round(deltaLink), full: false, restarted: false };
  } catch (error) {
    if (!isAppError(error, 'GRAPH_SYNC_STATE_GONE')) throw error;
    return { deltaLink: await round(initial), full: true, restarted: true };
  }
}
