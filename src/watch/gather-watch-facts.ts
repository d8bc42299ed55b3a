import { parseDuration } from '../core/index.ts';
import { tokenCacheKey } from '../auth/index.ts';
import type { MailroomConfig } from '../config/load-config.ts';
import type { JobResults } from '../jobs/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { readCredentialExpiry } from './read-credential-expiry.ts';
import { createPushStore } from '../push/index.ts';
import { createWebhookQueue } from '../notify/webhooks/index.ts';
import { createSuppressionList } from '../notify/index.ts';
import type { AlertRules, DelegatedConnectionFacts, WatchFacts, WatchedJob } from './watch-facts.ts';

export interface GatherContext {
  config: MailroomConfig;
  store: Store;
  results: JobResults;
  now: Date;
  rules: AlertRules;
}

/**
 * Runtime switches (`mailroom jobs disable`), read straight from the scheduler's collection (read-only): the
 * scheduler sits above this module and may report into it, so it cannot be imported here.
 */
async function readEnabledOverrides(store: Store): Promise<Map<string, boolean>> {
  const found = await withStoreErrors('read job overrides', () =>
    store.collection<{ _id: string; enabled: boolean }>(collectionNames.jobOverrides).find({}).toArray());
  return new Map(found.map((o) => [o._id, o.enabled]));
}

async function watchedJobs(context: GatherContext): Promise<WatchedJob[]> {
  const overrides = await readEnabledOverrides(context.store);
  const failedRuns = Math.max(context.rules.rules.jobFailing.failedRuns, ...Object.values(context.rules.jobs).map((o) => o.failedRuns ?? 0));
  const limit = Math.max(50, failedRuns * 3);
  const out: WatchedJob[] = [];
  for (const job of context.config.jobs) {
    out.push({ job, enabled: overrides.get(job.name) ?? job.enabled, runs: await context.results.list({ job: job.name, limit }) });
  }
  return out;
}

async function delegatedFacts(context: GatherContext, jobs: readonly WatchedJob[]): Promise<DelegatedConnectionFacts[]> {
  const caches = context.store.collection<{ _id: string; updatedAt?: Date }>(collectionNames.tokenCache);
  const out: DelegatedConnectionFacts[] = [];
  for (const connection of context.config.connections.filter((c) => c.delegated?.enabled === true)) {
    const onIt = jobs.filter((j) => j.job.connection === connection.name && j.enabled);
    if (onIt.length === 0) continue;
    const cache = await withStoreErrors('read token cache state', () => caches.findOne({ _id: tokenCacheKey(connection.name) }, { projection: { updatedAt: 1 } }));
    out.push({
      connection: connection.name,
      signedIn: cache !== null,
      cacheUpdatedAt: cache?.updatedAt ?? null,
      latestRuns: onIt.flatMap((j) => {
        const last = j.runs.find((r) => r.status !== 'running' && r.status !== 'aborted');
        return last ? [{ job: j.job.name, status: last.status, error: last.error ? { code: last.error.code, message: last.error.message } : null }] : [];
      }),
    });
  }
  return out;
}

/** Mail ledger entries quarantined within the window, per mail job; read-only from the mail lane's collection. */
async function quarantinedCounts(context: GatherContext): Promise<{ job: string; count: number }[]> {
  const since = new Date(context.now.getTime() - parseDuration(context.rules.rules.quarantine.window));
  const ledger = context.store.collection<{ job: string; status: string; updatedAt: Date }>(collectionNames.mailLedger);
  const out: { job: string; count: number }[] = [];
  for (const job of context.config.jobs.filter((j) => j.type === 'mail')) {
    const count = await withStoreErrors('count quarantined mail', () => ledger.countDocuments({ job: job.name, status: 'quarantined', updatedAt: { $gte: since } }));
    if (count > 0) out.push({ job: job.name, count });
  }
  return out;
}

/** Reads what every condition needs, once. */
export async function gatherWatchFacts(context: GatherContext): Promise<WatchFacts> {
  const jobs = await watchedJobs(context);
  return {
    now: context.now,
    jobs,
    credentials: await Promise.all(context.config.connections.map((c) => readCredentialExpiry(c, context.config.root))),
    delegated: await delegatedFacts(context, jobs),
    quarantined: context.rules.rules.quarantine.enabled ? await quarantinedCounts(context) : [],
    push: await createPushStore(context.store).list(),
    ...(context.rules.rules.suppressedRecipients.enabled ? { suppressedRecipients: await createSuppressionList(context.store, () => context.now).list() } : {}),
    ...(context.rules.rules.webhookDeliveries.enabled ? { failedWebhooks: await createWebhookQueue(context.store, () => context.now).failedByTarget() } : {}),
  };
}
