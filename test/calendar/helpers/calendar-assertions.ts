import { mailroomIdProperty } from '../../../src/calendar/index.ts';
import type { emulatorClient } from '../../helpers/emulator-client.ts';

type Control = ReturnType<typeof emulatorClient>;

export interface EmulatedEvent {
  id: string;
  subject: string;
  start: string;
  end: string;
  isAllDay: boolean;
  showAs: string;
  transactionId: string | null;
  originalStart: { dateTime: string; timeZone: string };
  singleValueExtendedProperties: { id: string; value: string }[];
  [field: string]: unknown;
}

/** Every event in a mailbox as the emulator holds it (control API, not Graph: independent of the code under test). */
export async function eventsOf(control: Control, mailbox: string): Promise<EmulatedEvent[]> {
  const result = (await control.call('GET', `/_emulator/mailboxes/${encodeURIComponent(mailbox)}/events`)) as { value: EmulatedEvent[] };
  return result.value;
}

export function mailroomIdOf(event: EmulatedEvent): string | null {
  return event.singleValueExtendedProperties.find((p) => p.id === mailroomIdProperty)?.value ?? null;
}

/** Our item keys in a mailbox, sorted (duplicates stay visible). */
export async function itemKeysIn(control: Control, mailbox: string): Promise<string[]> {
  return (await eventsOf(control, mailbox)).map(mailroomIdOf).filter((k): k is string => k !== null).sort();
}

/** Graph write operations since the last stats reset, by method (batch items count one each). */
export async function writesSince(control: Control): Promise<{ POST: number; PATCH: number; DELETE: number; total: number }> {
  const stats = await control.stats();
  const out = { POST: 0, PATCH: 0, DELETE: 0, total: 0 };
  for (const [route, n] of Object.entries(stats.byRoute)) {
    const method = route.split(' ')[0] as keyof typeof out;
    if (route.includes('/oauth2/')) continue;
    if (method === 'POST' || method === 'PATCH' || method === 'DELETE') {
      out[method] += n;
      out.total += n;
    }
  }
  return out;
}

/** Graph operations per mailbox since the last stats reset. */
export async function operationsByMailbox(control: Control): Promise<Record<string, number>> {
  const stats = (await control.call('GET', '/_emulator/stats')) as { byMailbox?: Record<string, number> };
  return stats.byMailbox ?? {};
}
