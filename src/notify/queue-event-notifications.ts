import { isAppError } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { listPendingTicketEvents, markTicketEventNotified, type TicketComment, type TicketEvent, type TicketStore } from '../tickets/index.ts';
import type { CompiledNotifications } from './load-notifications.ts';
import { planNotifications, type PlanContext } from './plan-notifications.ts';
import { queueNotification, type QueueTarget } from './queue-notification.ts';

export interface QueueEventsContext extends QueueTarget {
  store: Store;
  tickets: TicketStore;
  notifications: CompiledNotifications;
  plan: PlanContext;
  signal: AbortSignal;
  logger: Logger;
}

async function commentOf(tickets: TicketStore, event: TicketEvent): Promise<TicketComment | null> {
  if (event.type !== 'comment.added') return null;
  const key = event.data.commentKey;
  return (await tickets.listComments(event.ticketNumber)).find((c) => c.key === key) ?? null;
}

/**
 * Turns pending ticket events into outbox entries, then marks each event notified. A crash between the two leaves
 * the event pending; the rerun queues the same keys again (no-ops) and marks it. A rule whose expression fails is
 * recorded as a failed item and the event is still marked, since the same expression would fail again.
 */
export async function queueEventNotifications(context: QueueEventsContext): Promise<number> {
  const events = await listPendingTicketEvents(context.store, context.notifications.limits.eventsPerRun);
  let handled = 0;
  for (const event of events) {
    if (context.signal.aborted) break;
    const rules = context.notifications.rules.filter((rule) => rule.trigger === event.type);
    const ticket = rules.length === 0 ? null : await context.tickets.findTicket(event.ticketNumber);
    if (ticket) {
      const comment = await commentOf(context.tickets, event);
      for (const rule of rules) {
        try {
          const planned = await planNotifications(rule, { ticket, event: { id: event._id, type: event.type, at: event.at, data: event.data }, comment }, context.plan, context.notifications.file);
          for (const notification of planned) await queueNotification(context, event._id, ticket, notification);
        } catch (error) {
          if (!isAppError(error) || (error.code !== 'RULE_EVALUATION_FAILED' && error.code !== 'RULE_TIMEOUT')) throw error;
          context.logger.warn(`notification rule ${rule.name} failed on ${event._id}: ${error.message}`, { code: error.code });
          context.run.count('failed');
          context.run.addItem({ key: `${event._id}|${rule.name}`, outcome: 'failed', rule: rule.name, target: `#${event.ticketNumber}`, error: { code: error.code, message: error.message } });
        }
      }
    }
    await markTicketEventNotified(context.store, event._id, context.clock());
    handled += 1;
  }
  if (handled > 0) context.run.count('events', handled);
  return handled;
}
