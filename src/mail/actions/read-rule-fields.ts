import type { Person, TicketPriority } from '../../tickets/index.ts';

/** Rule fields are whatever a JSONata expression returned: these read them into ticket fields or fall back. */
export function asPerson(value: unknown): Person | null {
  if (value && typeof value === 'object' && typeof (value as Person).address === 'string') {
    const { address, name } = value as Partial<Person>;
    return { address: address!.toLowerCase(), name: typeof name === 'string' ? name : '' };
  }
  if (typeof value === 'string' && value.includes('@')) return { address: value.toLowerCase(), name: '' };
  return null;
}

export function asPriority(value: unknown): TicketPriority | undefined {
  return value === 'low' || value === 'normal' || value === 'high' ? value : undefined;
}

export function asString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? fallback : JSON.stringify(value);
}

export function asDate(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function extraFields(fields: Record<string, unknown>, standard: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !standard.has(name)));
}
