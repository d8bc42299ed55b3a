import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { AlertSignal } from './alert-types.ts';

/** What the push-subscription upkeep knows about one Graph change-notification subscription after touching it. */
export interface PushSubscriptionReport {
  /** The Graph subscription id. */
  id: string;
  /** Its resource, e.g. `/users/support@contoso.example/mailFolders('inbox')/messages`. */
  resource: string;
  /** Its expirationDateTime as Graph last confirmed it; null when it is gone. */
  expiresAt: Date | null;
  /** false when it cannot be kept: Graph refused the renewal, removed it, or it lapsed unrenewed. */
  kept: boolean;
  /** Why not, when not kept: the AppError code and message of the failed renewal or creation. */
  problem?: { code: string; message: string };
  /** The job the subscription wakes, for the message. */
  job?: string;
}

/**
 * The push helper's way into the alerts: call it after every create, renewal or loss of a subscription. A report
 * with `kept: false` makes the next alerts run fire one "push-subscription" alert; a later `kept: true` clears it.
 * Graph removes subscriptions it could not deliver to, or that were not renewed before expirationDateTime:
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */
export async function reportPushSubscription(store: Store, report: PushSubscriptionReport, at: Date): Promise<void> {
  const signal: AlertSignal = {
    _id: `push-subscription:${report.id}`,
    type: 'push-subscription',
    subject: report.id,
    active: !report.kept,
    severity: 'warning',
    summary: report.kept
      ? `push subscription for ${report.resource} is kept`
      : `push subscription for ${report.resource} cannot be kept${report.problem ? ` (${report.problem.code}: ${report.problem.message})` : ''}`,
    hint: `Until it is back, ${report.job ? `job ${report.job}` : 'the job'} only sees changes on its schedule. Check the public notification URL and the application's permissions, then restart the service to subscribe again.`,
    details: { resource: report.resource, ...(report.job ? { job: report.job } : {}), ...(report.problem ? { problem: report.problem } : {}) },
    expiresAt: report.expiresAt,
    reportedAt: at,
  };
  await withStoreErrors('report push subscription', () =>
    store.collection<AlertSignal>(collectionNames.alertSignals).replaceOne({ _id: signal._id }, signal, { upsert: true }),
  );
}

/** Every reported signal, for the alerts job and /metrics. */
export async function listAlertSignals(store: Store): Promise<AlertSignal[]> {
  return withStoreErrors('read alert signals', () => store.collection<AlertSignal>(collectionNames.alertSignals).find({}).toArray());
}
