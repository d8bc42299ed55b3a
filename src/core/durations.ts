import { AppError } from './app-error.ts';

const units: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Parses "5 minutes", "4 hours", "30s" into milliseconds. The schema restricts the shape; this gives it meaning. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new AppError('CONFIG_INVALID', `"${text}" is not a duration such as "5 minutes" or "4 hours"`);
  }
  return Number(match[1]) * unit;
}
