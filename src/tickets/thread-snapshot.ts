/**
 * The thread index as the pure middle of the mail lane sees it: which Message-IDs belong to which ticket, for the
 * references of one chunk of mail. Immutable: `with` returns a new snapshot, so `decide` can let a reply thread into
 * the ticket an earlier mail of the same chunk starts without anything shared being changed under it.
 */

/** Where a thread leads: a stored ticket, or the ticket the mail at `createdBy` (a position in the chunk) creates. */
export type ThreadTarget = { number: number } | { createdBy: number };

/** A Message-ID as we key it: without angle brackets or surrounding space. */
export function normaliseMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '');
}

export interface ThreadSnapshot {
  has(id: string): boolean;
  get(id: string): ThreadTarget | undefined;
  /** This snapshot plus `id` → `target`; an id already known keeps its first ticket, as in the store. */
  with(id: string | null, target: ThreadTarget): ThreadSnapshot;
  /** Stored ids only (bare id → ticket number). */
  readonly stored: ReadonlyMap<string, number>;
}

export function threadSnapshot(stored: ReadonlyMap<string, number>, added: ReadonlyMap<string, ThreadTarget> = new Map()): ThreadSnapshot {
  const get = (id: string): ThreadTarget | undefined => {
    const bare = normaliseMessageId(id);
    const number = stored.get(bare);
    return number === undefined ? added.get(bare) : { number };
  };
  return {
    stored,
    has: (id) => get(id) !== undefined,
    get,
    with(id, target) {
      if (!id || get(id) !== undefined) return this;
      return threadSnapshot(stored, new Map([...added, [normaliseMessageId(id), target]]));
    },
  };
}

/**
 * What the index says about a mail's thread, the nearest reference first: In-Reply-To comes first and References
 * lists the thread oldest first, so the most recent known one wins. Undefined when no reference is known.
 */
export function pickThread<T>(references: readonly string[], known: { has(id: string): boolean; get(id: string): T | undefined }): T | undefined {
  if (references.length === 0) return undefined;
  const ids = references.map(normaliseMessageId);
  for (const id of [ids[0]!, ...ids.slice(1).reverse()]) {
    if (known.has(id)) return known.get(id);
  }
  return undefined;
}
