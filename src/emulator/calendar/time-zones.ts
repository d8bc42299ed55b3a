import { GraphError } from '../http/graph-error.ts';

/**
 * Windows time-zone names (what Outlook stores and `supportedTimeZones` lists) mapped to IANA zones for arithmetic.
 * IANA names are accepted as well. https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone
 */
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Arabian Standard Time': 'Asia/Dubai',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
};

const LOWER = new Map(Object.entries(WINDOWS_TO_IANA).map(([k, v]) => [k.toLowerCase(), v]));
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The IANA zone for a Windows or IANA name; unknown names are Outlook's TimeZoneNotSupportedException. */
export function ianaZone(name: string): string {
  const mapped = LOWER.get(name.toLowerCase());
  if (mapped !== undefined) return mapped;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    throw new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`);
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Wall-clock parts of an instant in a zone. */
function partsIn(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { y: parts.year ?? 0, mo: parts.month ?? 1, d: parts.day ?? 1, h: parts.hour ?? 0, mi: parts.minute ?? 0, s: parts.second ?? 0 };
}

function offsetMs(ms: number, zone: string): number {
  const p = partsIn(ms, zone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A local `dateTime` (no offset, as Graph sends) in a zone → epoch ms. An explicit Z/offset wins over the zone. */
export function toUtcMs(dateTime: string, zoneName: string): number {
  const m = LOCAL.exec(dateTime.trim());
  if (m === null) throw new GraphError(400, 'ErrorInvalidRequest', `The dateTime '${dateTime}' is not a valid date-time.`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (m[7] !== undefined) return m[7] === 'Z' ? wall : wall - (Number(m[7].slice(0, 3)) * 60 + Math.sign(Number(m[7].slice(0, 3)) || 1) * Number(m[7].slice(4))) * 60_000;
  const zone = ianaZone(zoneName);
  let guess = wall - offsetMs(wall, zone);
  guess = wall - offsetMs(guess, zone);
  return guess;
}

/** Graph's rendering: local wall clock with 7 fractional digits and no offset. */
export function toLocalDateTime(ms: number, zoneName: string): string {
  const p = partsIn(ms, ianaZone(zoneName));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.0000000`;
}

/** Civil date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, zoneName: string): string {
  return toLocalDateTime(ms, zoneName).slice(0, 10);
}
