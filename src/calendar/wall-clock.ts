import { AppError } from '../core/index.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    } catch (error) {
      throw new AppError('CONFIG_INVALID', `unknown time zone "${timeZone}"`, { cause: error, hint: 'Use an IANA name such as Europe/Berlin.' });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws CONFIG_INVALID for a time zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** An instant as Graph's dateTimeTimeZone wants it: the wall-clock time in `timeZone`, without offset (`2026-12-01T09:00:00`). */
export function toWallClock(instant: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * Reads a Graph dateTimeTimeZone as an instant. Only UTC is converted exactly (we ask for UTC with
 * `Prefer: outlook.timezone="UTC"`); all-day events keep their creation zone and are read as that date at 00:00 UTC
 * (https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone).
 */
export function fromGraphDateTime(value: { dateTime: string; timeZone?: string } | undefined): Date | null {
  if (!value?.dateTime) return null;
  const trimmed = value.dateTime.replace(/(\.\d{3})\d*$/, '$1');
  const withZone = /[Zz]|[+-]\d{2}:\d{2}$/.test(trimmed) ? trimmed : `${trimmed}Z`;
  const parsed = new Date(withZone);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** `YYYY-MM-DD` plus days, calendar arithmetic only (no zones involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
