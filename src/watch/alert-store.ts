import { collectionNames, insertOnce, withStoreErrors, type Store } from '../store/index.ts';
import type { AlertRecord } from './alert-types.ts';
import type { AlertTransition } from './plan-alert-transitions.ts';

/** The `alerts` collection: one record per condition ever seen, with its mail state. */
export interface AlertStore {
  list(): Promise<AlertRecord[]>;
  /**
   * Stores a transition unless another evaluation changed the record meanwhile (compare-and-set on updatedAt);
   * false then, and the next evaluation decides again from what is stored.
   */
  save(transition: AlertTransition): Promise<boolean>;
  /** The record's pending mails are all in the outbox now. */
  clearPending(id: string, updatedAt: Date): Promise<void>;
}

export function createAlertStore(store: Store): AlertStore {
  const alerts = store.collection<AlertRecord>(collectionNames.alerts);
  return {
    list: () => withStoreErrors('read alerts', () => alerts.find({}).toArray()),
    async save({ record, previous }) {
      if (previous === null) return (await insertOnce(alerts, { _id: record._id }, () => record, 'alert')).created;
      const result = await withStoreErrors('save alert', () => alerts.replaceOne({ _id: record._id, updatedAt: previous.updatedAt }, record));
      return result.matchedCount === 1;
    },
    async clearPending(id, updatedAt) {
      await withStoreErrors('save alert', () => alerts.updateOne({ _id: id, updatedAt }, { $set: { pending: [] } }));
    },
  };
}
