import type { Clock } from '../core/index.ts';
import type { PushStore } from './create-push-store.ts';

/** Graph's change-notification collection (the fields we read). https://learn.microsoft.com/en-us/graph/api/resources/changenotificationcollection */
export interface ChangeNotificationBody {
  value?: { subscriptionId?: unknown; clientState?: unknown; lifecycleEvent?: unknown }[];
}

export interface ReceiveResult {
  /** Jobs to wake (each once, however many notifications named it). */
  wake: string[];
  accepted: number;
  refused: number;
}

const lifecycleEvents = new Set(['missed', 'subscriptionRemoved', 'reauthorizationRequired']);

/**
 * Checks each notification against the subscription it names and the clientState we gave it; a notification only
 * tells which job should run (the delta round is the truth), so duplicates, late and out-of-order ones are harmless.
 * Lifecycle events mark what the job's next run has to do (reauthorize, re-create) and wake it to catch up by delta:
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */
export async function receiveNotifications(deps: { store: PushStore; clock: Clock }, body: ChangeNotificationBody, kind: 'change' | 'lifecycle'): Promise<ReceiveResult> {
  const wake = new Set<string>();
  let accepted = 0;
  let refused = 0;
  const refusedByJob = new Map<string | null, number>();
  for (const notification of Array.isArray(body.value) ? body.value : []) {
    const subscriptionId = typeof notification.subscriptionId === 'string' ? notification.subscriptionId : '';
    const checked = await deps.store.check(subscriptionId, typeof notification.clientState === 'string' ? notification.clientState : null);
    if ('refused' in checked) {
      refused += 1;
      refusedByJob.set(checked.key, (refusedByJob.get(checked.key) ?? 0) + 1);
      continue;
    }
    accepted += 1;
    const at = deps.clock();
    if (kind === 'lifecycle') {
      const event = String(notification.lifecycleEvent ?? '');
      if (!lifecycleEvents.has(event)) continue;
      await deps.store.recordLifecycle(checked.key, event as 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired', at);
    } else {
      await deps.store.recordNotification(checked.key, at);
    }
    wake.add(checked.job);
  }
  for (const [job, count] of refusedByJob) await deps.store.recordRefused(job, count);
  return { wake: [...wake], accepted, refused };
}

