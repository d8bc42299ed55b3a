import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { plannedItemKey, type PlannedItem, type PlannedItemInput, type PlannedItemKind } from './planned-item.ts';

export interface UpsertSummary {
  created: number;
  updated: number;
  unchanged: number;
}

/** The module API for planned work: what `calendar import` uses and what other code may call. */
export interface PlanStore {
  /** Upsert by (kind, externalId); a changed item gets version + 1. */
  upsertItems(items: readonly PlannedItemInput[]): Promise<UpsertSummary>;
  /** Deletes by item key (`<kind>:<externalId>`); the next publish run deletes their events. Returns how many existed. */
  removeItems(keys: readonly string[]): Promise<number>;
  listItems(filter?: { resource?: string; kinds?: readonly PlannedItemKind[] }): Promise<PlannedItem[]>;
}

function contentOf(item: PlannedItem | PlannedItemInput): Record<string, unknown> {
  const { _id, version, updatedAt, ...rest } = item as PlannedItem;
  void _id; void version; void updatedAt;
  // Drop undefined so an absent optional field equals a missing one after a round trip through the database.
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

export function createPlanStore(store: Store, clock: Clock): PlanStore {
  const items = store.collection<PlannedItem>(collectionNames.appointments);
  return {
    async upsertItems(inputs) {
      const summary: UpsertSummary = { created: 0, updated: 0, unchanged: 0 };
      const keys = inputs.map((i) => plannedItemKey(i.kind, i.externalId));
      const current = new Map((await withStoreErrors('read planned items', () => items.find({ _id: { $in: keys } }).toArray())).map((d) => [d._id, d]));
      for (const input of inputs) {
        const _id = plannedItemKey(input.kind, input.externalId);
        const content = contentOf({ ...input, resource: input.resource === null ? null : input.resource.toLowerCase() } as PlannedItemInput);
        const existing = current.get(_id);
        if (existing && isDeepStrictEqual(contentOf(existing), content)) {
          summary.unchanged++;
          continue;
        }
        const doc = { ...content, _id, version: (existing?.version ?? 0) + 1, updatedAt: clock() } as PlannedItem;
        await withStoreErrors('write planned item', () => items.replaceOne({ _id }, doc, { upsert: true }));
        if (existing) summary.updated++;
        else summary.created++;
      }
      return summary;
    },
    async removeItems(keys) {
      if (keys.length === 0) return 0;
      const result = await withStoreErrors('remove planned items', () => items.deleteMany({ _id: { $in: [...keys] } }));
      return result.deletedCount;
    },
    async listItems(filter = {}) {
      const query: Record<string, unknown> = {};
      if (filter.resource !== undefined) query.resource = filter.resource.toLowerCase();
      if (filter.kinds !== undefined) query.kind = { $in: [...filter.kinds] };
      return withStoreErrors('list planned items', () => items.find(query).sort({ _id: 1 }).toArray());
    },
  };
}
