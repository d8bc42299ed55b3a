import { createHash, timingSafeEqual } from 'node:crypto';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { emptyPushState, type PushState } from './push-state.ts';

type LifecycleEvent = 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired';

export interface PushStore {
  get(key: string, job: string): Promise<PushState>;
  /** Every subscription of these jobs (all when absent). */
  list(jobs?: readonly string[]): Promise<PushState[]>;
  /** The subscription a notification names, when its `clientState` is the one we gave it; else why it is refused. */
  check(subscriptionId: string, clientState: string | null | undefined): Promise<{ key: string; job: string } | { refused: 'unknown-subscription'; key: null } | { refused: 'client-state'; key: string }>;
  save(key: string, job: string, changes: Partial<Omit<PushState, '_id' | 'job'>>): Promise<void>;
  recordNotification(key: string, at: Date): Promise<void>;
  recordRefused(key: string | null, count: number): Promise<void>;
  recordLifecycle(key: string, event: LifecycleEvent, at: Date): Promise<void>;
}

export function hashClientState(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Refusals that name no subscription of ours are counted on this pseudo-entry, so they are visible too. */
export const unknownSubscriptionsKey = '~unknown';

export function createPushStore(store: Store): PushStore {
  const states = store.collection<PushState>(collectionNames.pushSubscriptions);

  return {
    async get(key, job) {
      const found = await withStoreErrors('read push state', () => states.findOne({ _id: key }));
      return found ?? emptyPushState(key, job);
    },
    async list(jobs) {
      const filter = jobs ? { job: { $in: [...jobs] } } : { _id: { $ne: unknownSubscriptionsKey } };
      return withStoreErrors('list push states', () => states.find(filter).toArray());
    },
    async check(subscriptionId, clientState) {
      const found = subscriptionId === '' ? null : await withStoreErrors('read push state', () => states.findOne({ subscriptionId }));
      if (!found || found._id === unknownSubscriptionsKey) return { refused: 'unknown-subscription', key: null };
      if (typeof clientState !== 'string' || found.clientStateHash === null || !sameHash(hashClientState(clientState), found.clientStateHash)) {
        return { refused: 'client-state', key: found._id };
      }
      return { key: found._id, job: found.job };
    },
    async save(key, job, changes) {
      const { _id: _ignored, ...defaults } = emptyPushState(key, job);
      const insertOnly = Object.fromEntries(Object.entries(defaults).filter(([field]) => !(field in changes)));
      await withStoreErrors('save push state', () => states.updateOne({ _id: key }, { $set: changes, $setOnInsert: insertOnly }, { upsert: true }));
    },
    async recordNotification(key, at) {
      await withStoreErrors('record push notification', () =>
        states.updateOne({ _id: key }, { $set: { lastNotificationAt: at, wakeRequestedAt: at }, $inc: { notifications: 1 } }),
      );
    },
    async recordRefused(key, count) {
      const id = key ?? unknownSubscriptionsKey;
      const { _id: _ignored, refused: _refused, ...defaults } = emptyPushState(id, id);
      await withStoreErrors('record refused notification', () =>
        states.updateOne({ _id: id }, { $inc: { refused: count }, $setOnInsert: defaults }, { upsert: true }),
      );
    },
    async recordLifecycle(key, event, at) {
      const set: Partial<PushState> = { wakeRequestedAt: at };
      if (event === 'subscriptionRemoved') set.status = 'removed';
      if (event === 'reauthorizationRequired') set.status = 'reauthorize';
      await withStoreErrors('record lifecycle event', () =>
        states.updateOne({ _id: key }, { $set: set, ...(event === 'missed' ? { $inc: { missed: 1 } } : {}) }),
      );
    },
  };
}
