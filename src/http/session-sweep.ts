import type { SessionStore } from '../auth/access/index.ts';
import type { Logger } from '../log/index.ts';

/** How often a listening server deletes expired console sessions by default. */
export const defaultSessionSweepMs = 15 * 60_000;

export interface SessionSweep {
  /** One sweep now; resolves to how many sessions it deleted (0 when the database failed: logged, retried next time). */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep under way (so nothing touches the database after the server closed). */
  stop(): Promise<void>;
}

/**
 * Expired sessions are refused at once (the session store checks `expiresAt`), but their records would stay forever.
 * A TTL index would delete them in MongoDB, but the embedded mongo-java-server (1.46) keeps no TTL indexes (it knows
 * no `expireAfterSeconds`), so every listening server sweeps on a timer instead: at start, then every `everyMs`.
 * Several servers on one database sweeping at once is harmless (a delete by expiry).
 */
export function startSessionSweep(sessions: SessionStore, logger: Logger, everyMs: number): SessionSweep {
  let running: Promise<number> | null = null;
  const sweep = (): Promise<number> => (running ??= sessions.purgeExpired()
    .then((purged) => {
      if (purged > 0) logger.info(`purged ${purged} expired console session(s)`);
      return purged;
    }, (error: unknown) => {
      logger.warn(`purging expired console sessions failed; the next sweep retries: ${(error as Error).message}`);
      return 0;
    })
    .finally(() => { running = null; }));
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
