import { toAppError } from '../core/index.ts';
import { withStoreErrors, type Store } from '../store/index.ts';

/** A named check for /readyz: resolves when the dependency answers, rejects with the reason when not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: { code: string; message: string } }>;
}

/**
 * The database answers a ping, and the scheduler reads its jobs (Agenda's collection, through Agenda itself).
 * `scheduler` is structural so any Agenda-backed scheduler fits; pass null where none runs in this process.
 */
export function createReadinessChecks(store: Store, scheduler: { agenda: { queryJobs(query: { limit: number }): Promise<unknown> } } | null): Record<string, ReadinessCheck> {
  return {
    database: async () => void (await withStoreErrors('ping the database', () => store.db.command({ ping: 1 }))),
    ...(scheduler ? { scheduler: async () => void (await scheduler.agenda.queryJobs({ limit: 1 })) } : {}),
  };
}

/** Runs every check at once, each bounded by `timeoutMs`, so a hung database cannot hang the probe. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([check(), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); })]);
      return [name, { ok: true }] as const;
    } catch (error) {
      const e = toAppError(error, 'STORE_UNAVAILABLE');
      return [name, { ok: false, error: { code: e.code, message: e.message } }] as const;
    } finally {
      clearTimeout(timer);
    }
  }));
  return { ready: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}
