import type { SentNotificationRef } from '../../tickets/index.ts';
import type { Message } from '../parse/index.ts';
import type { MailRun } from './mail-run.ts';

/**
 * For each decided mail, the notification of ours its delivery report names (by the returned Message-ID), in one
 * lookup for the chunk. Done between decide and plan because only parsing finds the returned Message-ID; plan stays
 * pure and gets the answer as input. Without the outbox port (`rules test`, tests of the lane alone) nothing matches.
 */
export async function findReportedNotifications(run: MailRun, messages: readonly Message[]): Promise<(SentNotificationRef | undefined)[]> {
  const ids = messages.map((message) => message.deliveryReport?.originalMessageId ?? null);
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!run.bounces || wanted.length === 0) return ids.map(() => undefined);
  const found = await run.bounces.findSent(wanted);
  return ids.map((id) => (id === null ? undefined : found.get(id)));
}
