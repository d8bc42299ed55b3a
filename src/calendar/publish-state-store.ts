import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { PublishState } from './plan-publish.ts';

interface PublishStateRecord extends PublishState {
  _id: string;
  kind: 'publish';
  hash: string | null;
  updatedAt: Date;
}

/** What the publish job remembers per (resource, item) in `calendar_state`: the event it created and its generation. */
export interface PublishStateStore {
  list(): Promise<PublishState[]>;
  save(state: PublishState & { hash: string | null }, at: Date): Promise<void>;
  remove(resource: string, itemKey: string): Promise<void>;
}

export function createPublishStateStore(store: Store): PublishStateStore {
  const states = store.collection<PublishStateRecord>(collectionNames.calendarState);
  const id = (resource: string, itemKey: string): string => `publish|${resource}|${itemKey}`;
  return {
    async list() {
      const docs = await withStoreErrors('read publish state', () => states.find({ kind: 'publish' }).toArray());
      return docs.map((d) => ({ resource: d.resource, itemKey: d.itemKey, eventId: d.eventId, generation: d.generation }));
    },
    async save(state, at) {
      await withStoreErrors('save publish state', () => states.updateOne(
        { _id: id(state.resource, state.itemKey) },
        { $set: { kind: 'publish', resource: state.resource, itemKey: state.itemKey, eventId: state.eventId, generation: state.generation, hash: state.hash, updatedAt: at } },
        { upsert: true },
      ));
    },
    async remove(resource, itemKey) {
      await withStoreErrors('remove publish state', () => states.deleteOne({ _id: id(resource, itemKey) }));
    },
  };
}
