import type { Store } from '../../../src/store/index.ts';

/**
 * Counts the database commands a store sends, by command name (insert, find, update, getMore, …), from the driver's
 * command monitoring: mongo-java-server's serverStatus has no opcounters, and this works on every server. The store
 * must be opened with `monitorCommands: true`.
 */
export function countCommands(store: Store): { total(): number; byName(): Record<string, number>; byCollection(): Record<string, number>; reset(): void } {
  let counts: Record<string, number> = {};
  let collections: Record<string, number> = {};
  store.client.on('commandStarted', (event) => {
    counts[event.commandName] = (counts[event.commandName] ?? 0) + 1;
    // A command names its collection as the value of its own name ({ insert: 'tickets', … }).
    const collection = (event.command as Record<string, unknown>)[event.commandName];
    const key = `${event.commandName} ${typeof collection === 'string' ? collection : ''}`.trim();
    collections[key] = (collections[key] ?? 0) + 1;
  });
  return {
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    byName: () => ({ ...counts }),
    byCollection: () => Object.fromEntries(Object.entries(collections).sort((a, b) => b[1] - a[1])),
    reset: () => void ((counts = {}), (collections = {})),
  };
}
