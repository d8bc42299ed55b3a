import type { DeliveryReportRecord, OutboxEntry, SuppressedAddress } from '../notification-types.ts';
import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

/** A webhook event about our own notifications: one bounced, or an address no longer mailed. */
export interface NotificationWebhookEvent {
  /** Unique per event: the queue's key with the target, so queuing it again is a no-op. */
  eventId: string;
  type: 'notification.bounced' | 'recipient.suppressed';
  at: Date;
  body: string;
}

function report(r: DeliveryReportRecord): Record<string, unknown> {
  return { action: r.action, status: r.status, recipient: r.recipient, diagnostic: r.diagnostic, permanent: r.permanent, reporter: r.reporter, reportedAt: r.reportedAt };
}

function bouncedEvent(e: OutboxEntry): NotificationWebhookEvent {
  const body = JSON.stringify({
    type: 'notification.bounced',
    timestamp: e.updatedAt.toISOString(),
    data: {
      notificationId: e._id, ticketNumber: e.ticketNumber > 0 ? e.ticketNumber : null, rule: e.rule, to: e.to, subject: e.subject,
      internetMessageId: e.internetMessageId, sentAt: e.sentAt, bounce: e.bounce ? report(e.bounce) : null,
    },
  });
  return { eventId: `notification.bounced|${e._id}`, type: 'notification.bounced', at: e.updatedAt, body };
}

function suppressedEvent(s: SuppressedAddress & { suppressedAt: Date }): NotificationWebhookEvent {
  const body = JSON.stringify({
    type: 'recipient.suppressed',
    timestamp: s.suppressedAt.toISOString(),
    data: { address: s._id, hardBounces: s.hardBounces.length, lastBounce: s.lastBounce, suppressedAt: s.suppressedAt, lift: `mailroom notifications unsuppress ${s._id}` },
  });
  // Per suppression: lifted and suppressed again is a new event.
  return { eventId: `recipient.suppressed|${s._id}|${s.suppressedAt.toISOString()}`, type: 'recipient.suppressed', at: s.suppressedAt, body };
}

/**
 * Notifications that bounced and addresses suppressed since `since`, oldest first, read from the outbox and the
 * suppression list (the records the bounce lane writes), so no second copy of a bounce is kept for webhooks. `upTo`
 * is how far the lists were read: the last event's time when a list was cut at `limit`, else the latest event's.
 */
export async function listNotificationEvents(store: Store, since: Date, limit: number): Promise<{ events: NotificationWebhookEvent[]; upTo: Date | null }> {
  const outbox = store.collection<OutboxEntry>(collectionNames.outbox);
  const suppressions = store.collection<SuppressedAddress>(collectionNames.notificationSuppressions);
  // The entry's updatedAt is when it became bounced (or a later report on it: the same event, queued once by its id).
  const bounced = await withStoreErrors('list bounced notifications', () => outbox.find({ status: 'bounced', updatedAt: { $gte: since } })
    .sort({ updatedAt: 1 }).limit(limit).project<OutboxEntry>({ html: 0, text: 0, draft: 0, via: 0 }).toArray());
  const suppressed = await withStoreErrors('list suppressed addresses', () => suppressions.find({ suppressedAt: { $gte: since } })
    .sort({ suppressedAt: 1 }).limit(limit).toArray()) as (SuppressedAddress & { suppressedAt: Date })[];
  const events = [...bounced.map(bouncedEvent), ...suppressed.map(suppressedEvent)].sort((a, b) => a.at.getTime() - b.at.getTime());
  // A list cut at the limit has more after its last event: read no further than that, so the rest comes next time.
  const cuts = [bounced.length === limit ? bounced[bounced.length - 1]!.updatedAt : null, suppressed.length === limit ? suppressed[suppressed.length - 1]!.suppressedAt : null]
    .filter((d): d is Date => d !== null);
  const upTo = cuts.length > 0 ? new Date(Math.min(...cuts.map((d) => d.getTime()))) : events.length > 0 ? events[events.length - 1]!.at : null;
  return { events, upTo };
}
