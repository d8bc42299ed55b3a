/**
 * Counts failed token uses per client address in a sliding window, so guessing tokens is slow: after `max` failures
 * within `windowMs` an address is refused (429) until the window has passed. In memory: per server process.
 */
export interface FailureLimiter {
  /** Milliseconds until the address may try again, or 0 when it may try now. */
  blockedFor(address: string): number;
  recordFailure(address: string): void;
}

export function createFailureLimiter(options: { max: number; windowMs: number; now?: () => number }): FailureLimiter {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (address: string): number[] => {
    const cutoff = now() - options.windowMs;
    const kept = (failures.get(address) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) failures.delete(address);
    else failures.set(address, kept);
    return kept;
  };
  return {
    blockedFor(address) {
      const kept = recent(address);
      return kept.length >= options.max ? kept[0]! + options.windowMs - now() : 0;
    },
    recordFailure(address) {
      failures.set(address, [...recent(address), now()]);
    },
  };
}
