import { isAppError } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { Ticket } from '../tickets/index.ts';
import type { CompiledNotifications } from './load-notifications.ts';
import { planNotifications, type PlanContext } from './plan-notifications.ts';
import { queueNotification, type QueueTarget } from './queue-notification.ts';

export interface QueueRemindersContext extends QueueTarget {
  store: Store;
  notifications: CompiledNotifications;
  plan: PlanContext;
  signal: AbortSignal;
  logger: Logger;
}

/** The event id of a reminder: one per ticket and due date, so a moved due date gets a reminder of its own. */
export function reminderEventId(ticketNumber: number, dueAt: Date): string {
  return `due:${ticketNumber}:${dueAt.toISOString()}`;
}

/**
 * Queues a reminder for every open ticket whose due date lies ahead within a due-approaching rule's lead time.
 * A due date already passed gets none (the job was down during the whole lead time; a late "due soon" misleads).
 * Tickets are read straight from their collection (read-only) because the ticket store has no due-date query.
 */
export async function queueDueReminders(context: QueueRemindersContext): Promise<number> {
  const rules = context.notifications.rules.filter((rule) => rule.trigger === 'due-approaching' && rule.leadTimeMs !== null);
  if (rules.length === 0) return 0;
  const now = context.clock();
  const horizon = new Date(now.getTime() + Math.max(...rules.map((rule) => rule.leadTimeMs ?? 0)));
  const tickets = await withStoreErrors('find tickets coming due', () =>
    context.store.collection<Ticket>(collectionNames.tickets)
      .find({ dueAt: { $gt: now, $lte: horizon }, status: { $in: ['new', 'open', 'pending'] } })
      .sort({ dueAt: 1 }).limit(context.notifications.limits.eventsPerRun).toArray(),
  );
  let queued = 0;
  for (const ticket of tickets) {
    if (context.signal.aborted) break;
    const dueAt = ticket.dueAt as Date;
    const eventId = reminderEventId(ticket.number, dueAt);
    for (const rule of rules) {
      if (dueAt.getTime() - now.getTime() > (rule.leadTimeMs ?? 0)) continue;
      if (await context.outbox.hasEntries(eventId, rule.name)) continue;
      try {
        const planned = await planNotifications(rule, { ticket, event: { id: eventId, type: 'due-approaching', at: now, data: { dueAt } }, comment: null }, context.plan, context.notifications.file);
        for (const notification of planned) await queueNotification(context, eventId, ticket, notification);
        queued += planned.length;
      } catch (error) {
        if (!isAppError(error) || (error.code !== 'RULE_EVALUATION_FAILED' && error.code !== 'RULE_TIMEOUT')) throw error;
        context.logger.warn(`notification rule ${rule.name} failed on ${eventId}: ${error.message}`, { code: error.code });
        context.run.count('failed');
        context.run.addItem({ key: `${eventId}|${rule.name}`, outcome: 'failed', rule: rule.name, target: `#${ticket.number}`, error: { code: error.code, message: error.message } });
      }
    }
  }
  return queued;
}
