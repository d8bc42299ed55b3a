import type { Logger } from '../log/index.ts';

/** How often a listening server deletes expired console sessions and sign-in requests by default. */
export const defaultSessionSweepMs = 15 * 60_000;

/** Records that expire (sessions, sign-ins between the redirect to Entra ID and its callback), in words for the log. */
export interface ExpiringRecords {
  /** Plural noun for the log line: "console session(s)". */
  what: string;
  purgeExpired(): Promise<number>;
}

export interface SessionSweep {
  /** One sweep now; resolves to how many records it deleted (a database failure is logged and retried next time). */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep under way (so nothing touches the database after the server closed). */
  stop(): Promise<void>;
}

/**
 * Expired sessions are refused at once (the session store checks `expiresAt`), but their records would stay forever,
 * and so would sign-ins a person never finished (their PKCE verifier and nonce). A TTL index would delete them in
 * MongoDB, but the embedded mongo-java-server (1.46) keeps no TTL indexes (it knows no `expireAfterSeconds`), so every
 * listening server sweeps on a timer instead: at start, then every `everyMs`. Several servers on one database
 * sweeping at once is harmless (a delete by expiry).
 */
export function startSessionSweep(kinds: readonly ExpiringRecords[], logger: Logger, everyMs: number): SessionSweep {
  let running: Promise<number> | null = null;
  const purge = async (kind: ExpiringRecords): Promise<number> => {
    try {
      const purged = await kind.purgeExpired();
      if (purged > 0) logger.info(`purged ${purged} expired ${kind.what}`);
      return purged;
    } catch (error) {
      logger.warn(`purging expired ${kind.what} failed; the next sweep retries: ${(error as Error).message}`);
      return 0;
    }
  };
  const sweep = (): Promise<number> => (running ??= (async () => {
    let purged = 0;
    for (const kind of kinds) purged += await purge(kind);
    return purged;
  })().finally(() => { running = null; }));
  const timer = setInterval(() => void sweep(), everyMs);
  // A sweep never keeps the process alive on its own.
  timer.unref();
  void sweep();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
