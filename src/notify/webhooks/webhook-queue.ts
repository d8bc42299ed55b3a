import { createHash } from 'node:crypto';
import type { Clock } from '../../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** One ticket event for one target. `_id` is target + event, so queuing it again is a no-op. */
export interface WebhookDelivery {
  _id: string;
  target: string;
  eventId: string;
  /** The Standard Webhooks message id (`webhook-id`): the same on every attempt, so receivers drop repeats. */
  messageId: string;
  type: string;
  /** The JSON body, fixed when queued: every attempt sends the same bytes. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: { code: string; message: string } | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookQueue {
  enqueue(deliveries: readonly Pick<WebhookDelivery, 'target' | 'eventId' | 'type' | 'body'>[]): Promise<number>;
  /** The next due delivery (pending and due, or a crashed sender's expired lease), leased to this caller. */
  claimNext(leaseMs: number): Promise<WebhookDelivery | null>;
  /** Marks a claimed delivery delivered; a second call (or one after the lease was taken over) changes nothing. */
  markDelivered(id: string, attempts: number): Promise<boolean>;
  retryLater(id: string, at: Date, error: { code: string; message: string }): Promise<void>;
  markFailed(id: string, error: { code: string; message: string }): Promise<void>;
  list(query?: { target?: string; status?: WebhookDeliveryStatus; limit?: number }): Promise<WebhookDelivery[]>;
  /** Deliveries given up on (`failed` after the last attempt), per target, with the latest error: what a person must look at. */
  failedByTarget(): Promise<{ target: string; failed: number; lastError: { code: string; message: string } | null; lastAttemptAt: Date }[]>;
  /** Queues a target's failed deliveries again (attempts from zero, due now), once it is fixed; returns how many. */
  requeueFailed(target: string): Promise<number>;
  watermark(target: string): Promise<Date | null>;
  setWatermark(target: string, at: Date): Promise<void>;
}

export function webhookMessageId(target: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${target}|${eventId}`).digest('base64url').slice(0, 27)}`;
}

export function createWebhookQueue(store: Store, clock: Clock): WebhookQueue {
  const deliveries = store.collection<WebhookDelivery>(collectionNames.webhookDeliveries);
  const state = store.collection<{ _id: string; queuedUpTo: Date }>(collectionNames.webhookState);
  return {
    async enqueue(items) {
      if (items.length === 0) return 0;
      const now = clock();
      const result = await withStoreErrors('queue webhook deliveries', () => deliveries.bulkWrite(items.map((d) => ({
        updateOne: {
          filter: { _id: `${d.target}|${d.eventId}` },
          update: { $setOnInsert: { ...d, _id: `${d.target}|${d.eventId}`, messageId: webhookMessageId(d.target, d.eventId), status: 'pending' as const, attempts: 0, nextAttemptAt: now, leaseUntil: null, lastError: null, createdAt: now, deliveredAt: null } },
          upsert: true,
        },
      })), { ordered: false }));
      return result.upsertedCount;
    },
    async claimNext(leaseMs) {
      const now = clock();
      return withStoreErrors('claim webhook delivery', () => deliveries.findOneAndUpdate(
        { $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: { $lte: now } }] },
        { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      ));
    },
    async markDelivered(id, attempts) {
      const result = await withStoreErrors('mark webhook delivered', () =>
        deliveries.updateOne({ _id: id, status: 'sending', attempts }, { $set: { status: 'delivered', deliveredAt: clock(), leaseUntil: null, lastError: null } }));
      return result.modifiedCount === 1;
    },
    async retryLater(id, at, error) {
      await withStoreErrors('schedule webhook retry', () => deliveries.updateOne({ _id: id }, { $set: { status: 'pending', nextAttemptAt: at, leaseUntil: null, lastError: error } }));
    },
    async markFailed(id, error) {
      await withStoreErrors('mark webhook failed', () => deliveries.updateOne({ _id: id }, { $set: { status: 'failed', leaseUntil: null, lastError: error } }));
    },
    async list(query = {}) {
      const filter: Record<string, unknown> = {};
      if (query.target) filter.target = query.target;
      if (query.status) filter.status = query.status;
      return withStoreErrors('list webhook deliveries', () => deliveries.find(filter).sort({ createdAt: -1 }).limit(query.limit ?? 100).toArray());
    },
    async failedByTarget() {
      const failed = await withStoreErrors('list failed webhook deliveries', () => deliveries.find({ status: 'failed' })
        .project<Pick<WebhookDelivery, 'target' | 'lastError' | 'nextAttemptAt'>>({ target: 1, lastError: 1, nextAttemptAt: 1 }).sort({ nextAttemptAt: -1 }).toArray());
      const byTarget = new Map<string, { target: string; failed: number; lastError: { code: string; message: string } | null; lastAttemptAt: Date }>();
      // Newest first: the first one seen of a target carries its latest error.
      for (const d of failed) {
        const seen = byTarget.get(d.target);
        if (seen) seen.failed += 1;
        else byTarget.set(d.target, { target: d.target, failed: 1, lastError: d.lastError, lastAttemptAt: d.nextAttemptAt });
      }
      return [...byTarget.values()];
    },
    async requeueFailed(target) {
      const result = await withStoreErrors('requeue failed webhook deliveries', () =>
        deliveries.updateMany({ target, status: 'failed' }, { $set: { status: 'pending', attempts: 0, nextAttemptAt: clock(), leaseUntil: null } }));
      return result.modifiedCount;
    },
    async watermark(target) {
      return (await withStoreErrors('read webhook state', () => state.findOne({ _id: target })))?.queuedUpTo ?? null;
    },
    async setWatermark(target, at) {
      await withStoreErrors('save webhook state', () => state.updateOne({ _id: target }, { $max: { queuedUpTo: at } }, { upsert: true }));
    },
  };
}
