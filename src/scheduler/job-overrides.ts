import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

/** A runtime switch stored in the database; the schedule file stays the definition. */
interface JobOverride {
  _id: string;
  enabled: boolean;
  updatedAt: Date;
}

export async function readJobOverrides(store: Store): Promise<Map<string, boolean>> {
  const found = await withStoreErrors('read job overrides', () => store.collection<JobOverride>(collectionNames.jobOverrides).find({}).toArray());
  return new Map(found.map((o) => [o._id, o.enabled]));
}

export async function setJobOverride(store: Store, job: string, enabled: boolean, at: Date): Promise<void> {
  await withStoreErrors('save job override', () =>
    store.collection<JobOverride>(collectionNames.jobOverrides).updateOne({ _id: job }, { $set: { enabled, updatedAt: at } }, { upsert: true }),
  );
}
