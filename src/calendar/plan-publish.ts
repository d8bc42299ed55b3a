import { createHash } from 'node:crypto';
import type { DesiredEvent } from './build-desired-event.ts';

/** An event in a resource's calendar that carries our id property. */
export interface OwnedEvent {
  eventId: string;
  itemKey: string;
  /** Our hash property; null when absent (written by an older version or edited by hand). */
  hash: string | null;
  /** When the event ends; null when unreadable (then it is treated as in range). */
  endsAt: Date | null;
}

/** What the database remembers about one published item in one calendar. */
export interface PublishState {
  resource: string;
  itemKey: string;
  /** The event we created last; null while a create is in flight. */
  eventId: string | null;
  /** Bumped when our event vanished (deleted by hand), so the re-creation gets a fresh transactionId. */
  generation: number;
}

export type PublishAction =
  | { kind: 'create'; resource: string; itemKey: string; transactionId: string; generation: number; desired: DesiredEvent; movedFrom?: string }
  | { kind: 'update'; resource: string; itemKey: string; eventId: string; desired: DesiredEvent }
  | { kind: 'delete'; resource: string; itemKey: string; eventId: string; reason: 'removed' | 'moved' | 'duplicate' };

export interface PublishPlanInput {
  /** Resources this run may touch (active ones); everything else is left alone. */
  resources: readonly string[];
  desired: readonly DesiredEvent[];
  /** Owned events per resource, as listed from Outlook. */
  existing: ReadonlyMap<string, readonly OwnedEvent[]>;
  state: readonly PublishState[];
  /** Items and events ending before this are out of scope (daysBack). */
  cutoff: Date;
}

/**
 * Creation key: deterministic from resource, item, version and generation, so a resent create is deduplicated by
 * Exchange (https://learn.microsoft.com/en-us/graph/api/resources/event, transactionId).
 */
export function publishTransactionId(resource: string, itemKey: string, version: number, generation: number): string {
  const digest = createHash('sha256').update(`${resource}\n${itemKey}\n${version}\n${generation}`).digest('hex').slice(0, 32);
  return `mailroom-${digest}`;
}

/**
 * The writes that make each resource's calendar match the plan. Pure. Moving an item to another resource is a
 * delete on the old calendar plus a create on the new one; duplicates of one item (left by an older crash) are
 * deleted; events ending before the cut-off are never touched.
 */
export function planPublish(input: PublishPlanInput): PublishAction[] {
  const inScope = new Set(input.resources);
  const desiredByKey = new Map<string, DesiredEvent>();
  for (const d of input.desired) if (inScope.has(d.resource) && d.endsAt >= input.cutoff) desiredByKey.set(`${d.resource}\n${d.itemKey}`, d);
  const resourceOfItem = new Map<string, string>();
  for (const d of desiredByKey.values()) resourceOfItem.set(d.itemKey, d.resource);
  const stateByKey = new Map(input.state.map((s) => [`${s.resource}\n${s.itemKey}`, s]));

  const actions: PublishAction[] = [];
  const creates: PublishAction[] = [];
  const covered = new Set<string>();
  for (const resource of input.resources) {
    const byItem = new Map<string, OwnedEvent[]>();
    for (const event of input.existing.get(resource) ?? []) {
      if (event.endsAt !== null && event.endsAt < input.cutoff) continue;
      const list = byItem.get(event.itemKey) ?? [];
      list.push(event);
      byItem.set(event.itemKey, list);
    }
    for (const [itemKey, events] of byItem) {
      const key = `${resource}\n${itemKey}`;
      const desired = desiredByKey.get(key);
      if (!desired) {
        const elsewhere = resourceOfItem.get(itemKey);
        for (const e of events) actions.push({ kind: 'delete', resource, itemKey, eventId: e.eventId, reason: elsewhere ? 'moved' : 'removed' });
        continue;
      }
      covered.add(key);
      // Keep the event that is already right if there is one, else the first; delete the rest.
      const keep = events.find((e) => e.hash === desired.hash) ?? events[0]!;
      for (const e of events) if (e !== keep) actions.push({ kind: 'delete', resource, itemKey, eventId: e.eventId, reason: 'duplicate' });
      if (keep.hash !== desired.hash) actions.push({ kind: 'update', resource, itemKey, eventId: keep.eventId, desired });
    }
  }
  for (const [key, desired] of desiredByKey) {
    if (covered.has(key)) continue;
    const state = stateByKey.get(key);
    const generation = state ? (state.eventId === null ? state.generation : state.generation + 1) : 0;
    const movedFrom = actions.find((a) => a.kind === 'delete' && a.itemKey === desired.itemKey && a.reason === 'moved')?.resource;
    creates.push({
      kind: 'create', resource: desired.resource, itemKey: desired.itemKey, generation, desired,
      transactionId: publishTransactionId(desired.resource, desired.itemKey, desired.version, generation),
      ...(movedFrom ? { movedFrom } : {}),
    });
  }
  return [...actions, ...creates];
}
