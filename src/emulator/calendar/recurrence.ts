import { GraphError } from '../http/graph-error.ts';

/** Graph's patternedRecurrence (https://learn.microsoft.com/en-us/graph/api/resources/patternedrecurrence). */
export interface PatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
    interval: number;
    daysOfWeek?: string[];
    dayOfMonth?: number;
    month?: number;
    index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
    firstDayOfWeek?: string;
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
    recurrenceTimeZone?: string;
  };
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEX = { first: 0, second: 1, third: 2, fourth: 3, last: -1 } as const;
const DAY_MS = 86_400_000;
/** Expansion stops after this many days from the series start (enough for any test window, bounded for noEnd series). */
const MAX_DAYS = 366 * 30;

const parseDate = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
export const formatDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function validateRecurrence(value: unknown): PatternedRecurrence {
  const r = value as PatternedRecurrence | null;
  const types = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
  const bad = (message: string): GraphError => new GraphError(400, 'ErrorInvalidRequest', `Invalid recurrence: ${message}`);
  if (r === null || typeof r !== 'object' || typeof r.pattern !== 'object' || typeof r.range !== 'object') throw bad('pattern and range are required.');
  if (!types.includes(r.pattern.type)) throw bad(`unknown pattern type '${String(r.pattern.type)}'.`);
  if (!Number.isInteger(r.pattern.interval) || r.pattern.interval < 1) throw bad('interval must be a positive integer.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.range.startDate ?? '')) throw bad('range.startDate must be YYYY-MM-DD.');
  if (r.range.type === 'endDate' && !/^\d{4}-\d{2}-\d{2}$/.test(r.range.endDate ?? '')) throw bad('range.endDate must be YYYY-MM-DD.');
  if (r.range.type === 'numbered' && !(Number(r.range.numberOfOccurrences) > 0)) throw bad('range.numberOfOccurrences must be positive.');
  if (['weekly', 'relativeMonthly', 'relativeYearly'].includes(r.pattern.type) && (r.pattern.daysOfWeek ?? []).length === 0) throw bad('daysOfWeek is required.');
  return r;
}

function monthsBetween(a: Date, b: Date): number {
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

function matchesRelative(day: Date, daysOfWeek: string[], index: keyof typeof INDEX): boolean {
  if (!daysOfWeek.includes(DAYS[day.getUTCDay()] ?? '')) return false;
  const dom = day.getUTCDate();
  const position = INDEX[index];
  if (position === -1) {
    const daysInMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
    return dom + 7 > daysInMonth;
  }
  return Math.floor((dom - 1) / 7) === position;
}

/**
 * The civil dates (YYYY-MM-DD, in the series' time zone) on which a series occurs, up to `untilDate` inclusive.
 */
export function occurrenceDates(recurrence: PatternedRecurrence, untilDate: string): string[] {
  const { pattern, range } = recurrence;
  const start = parseDate(range.startDate);
  const startDay = new Date(start);
  const rangeEnd = range.type === 'endDate' && range.endDate !== undefined ? parseDate(range.endDate) : Infinity;
  const until = Math.min(parseDate(untilDate), rangeEnd, start + MAX_DAYS * DAY_MS);
  const limit = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Infinity;
  const days = (pattern.daysOfWeek ?? []).map((d) => d.toLowerCase());
  const firstDay = DAYS.indexOf((pattern.firstDayOfWeek ?? 'sunday').toLowerCase());
  const weekStart = (ms: number): number => ms - (((new Date(ms).getUTCDay() - firstDay) + 7) % 7) * DAY_MS;
  const out: string[] = [];
  for (let ms = start; ms <= until && out.length < limit; ms += DAY_MS) {
    const day = new Date(ms);
    let hit = false;
    switch (pattern.type) {
      case 'daily':
        hit = Math.round((ms - start) / DAY_MS) % pattern.interval === 0;
        break;
      case 'weekly':
        hit = days.includes(DAYS[day.getUTCDay()] ?? '') && (Math.round((weekStart(ms) - weekStart(start)) / (7 * DAY_MS)) % pattern.interval === 0);
        break;
      case 'absoluteMonthly':
        hit = day.getUTCDate() === (pattern.dayOfMonth ?? startDay.getUTCDate()) && monthsBetween(startDay, day) % pattern.interval === 0;
        break;
      case 'relativeMonthly':
        hit = matchesRelative(day, days, pattern.index ?? 'first') && monthsBetween(startDay, day) % pattern.interval === 0;
        break;
      case 'absoluteYearly':
        hit = day.getUTCMonth() + 1 === (pattern.month ?? startDay.getUTCMonth() + 1) && day.getUTCDate() === (pattern.dayOfMonth ?? startDay.getUTCDate()) &&
          (day.getUTCFullYear() - startDay.getUTCFullYear()) % pattern.interval === 0;
        break;
      case 'relativeYearly':
        hit = day.getUTCMonth() + 1 === (pattern.month ?? startDay.getUTCMonth() + 1) && matchesRelative(day, days, pattern.index ?? 'first') &&
          (day.getUTCFullYear() - startDay.getUTCFullYear()) % pattern.interval === 0;
        break;
    }
    if (hit) out.push(formatDate(ms));
  }
  return out;
}
