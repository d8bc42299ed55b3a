import type { Store } from '../../../src/store/index.ts';

/**
 * Counts the database commands a store sends, by command name (insert, find, update, getMore, …), from the driver's
 * command monitoring: mongo-java-server's serverStatus has no opcounters, and this works on every server. The store
 * must be opened with `monitorCommands: true`.
 */
export function countCommands(store: Store): { total(): number; byName(): Record<string, number>; reset(): void } {
  let counts: Record<string, number> = {};
  store.client.on('commandStarted', (event) => {
    counts[event.commandName] = (counts[event.commandName] ?? 0) + 1;
  });
  return {
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    byName: () => ({ ...counts }),
    reset: () => void (counts = {}),
  };
}
