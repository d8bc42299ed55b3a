import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

/** Where a calendarView delta sync of one mailbox stands (`calendar_state`), for the read and room jobs. */
export interface ViewSyncState {
  _id: string;
  kind: 'read' | 'room';
  job: string;
  mailbox: string;
  deltaLink: string | null;
  windowStart: Date;
  windowEnd: Date;
  updatedAt: Date;
}

export interface ViewSyncStateStore {
  load(kind: ViewSyncState['kind'], job: string, mailbox: string): Promise<ViewSyncState | null>;
  save(state: Omit<ViewSyncState, '_id'>): Promise<void>;
}

export function createViewSyncStateStore(store: Store): ViewSyncStateStore {
  const states = store.collection<ViewSyncState>(collectionNames.calendarState);
  const id = (kind: string, job: string, mailbox: string): string => `${kind}|${job}|${mailbox}`;
  return {
    load: (kind, job, mailbox) => withStoreErrors('read calendar sync state', () => states.findOne({ _id: id(kind, job, mailbox) })),
    async save(state) {
      await withStoreErrors('save calendar sync state', () => states.replaceOne({ _id: id(state.kind, state.job, state.mailbox) }, state, { upsert: true }));
    },
  };
}
