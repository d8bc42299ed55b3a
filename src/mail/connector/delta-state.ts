import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

/** Where the next run resumes: a deltaLink after a finished round, or a nextLink in the middle of one. */
export interface DeltaState {
  _id: string;
  link: string;
  kind: 'next' | 'delta';
  folderId: string;
  updatedAt: Date;
  /** Set by `mailroom jobs resync`: the next run drops the link and reads the folder in full. */
  resyncRequestedAt?: Date | null;
}

export interface DeltaStateStore {
  load(job: string, folderId: string): Promise<DeltaState | null>;
  save(job: string, folderId: string, link: string, kind: DeltaState['kind'], at: Date): Promise<void>;
  clear(job: string, folderId: string): Promise<void>;
  /** Marks every saved position of a job for a full read; returns how many there were. */
  requestResync(job: string, at: Date): Promise<number>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createDeltaStateStore(store: Store): DeltaStateStore {
  const states = store.collection<DeltaState>(collectionNames.deltaState);
  const id = (job: string, folderId: string): string => `${job}|${folderId}`;
  return {
    load: (job, folderId) => withStoreErrors('read delta state', () => states.findOne({ _id: id(job, folderId) })),
    async save(job, folderId, link, kind, at) {
      await withStoreErrors('save delta state', () =>
        states.updateOne({ _id: id(job, folderId) }, { $set: { link, kind, folderId, updatedAt: at, resyncRequestedAt: null } }, { upsert: true }),
      );
    },
    async clear(job, folderId) {
      await withStoreErrors('clear delta state', () => states.deleteOne({ _id: id(job, folderId) }));
    },
    async requestResync(job, at) {
      const result = await withStoreErrors('request resync', () => states.updateMany({ _id: { $regex: `^${escapeRegex(job)}\\|` } }, { $set: { resyncRequestedAt: at } }));
      return result.matchedCount;
    },
  };
}
