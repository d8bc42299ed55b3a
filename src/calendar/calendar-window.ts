const dayMs = 86_400_000;

export interface CalendarWindow {
  start: Date;
  end: Date;
}

function startOfUtcDay(time: number): Date {
  return new Date(Math.floor(time / dayMs) * dayMs);
}

/** The window a sync tracks, whole UTC days from `daysBack` before to `daysAhead` after now. */
export function computeWindow(now: Date, daysBack: number, daysAhead: number): CalendarWindow {
  return { start: startOfUtcDay(now.getTime() - daysBack * dayMs), end: startOfUtcDay(now.getTime() + (daysAhead + 1) * dayMs) };
}

/**
 * A calendarView delta window is fixed for the life of its tokens (https://learn.microsoft.com/en-us/graph/delta-query-events),
 * so a rolling window is re-anchored, with a new initial sync, once it has drifted by `slackDays` at either end.
 */
export function windowNeedsMove(window: CalendarWindow, now: Date, daysBack: number, daysAhead: number, slackDays = 7): boolean {
  const wanted = computeWindow(now, daysBack, daysAhead);
  return Math.abs(wanted.start.getTime() - window.start.getTime()) > slackDays * dayMs
    || Math.abs(wanted.end.getTime() - window.end.getTime()) > slackDays * dayMs;
}
