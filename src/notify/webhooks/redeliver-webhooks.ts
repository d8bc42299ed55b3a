import type { WebhookTargetConfig } from '../../config/http-config.ts';
import { AppError, type Clock } from '../../core/index.ts';
import type { Store } from '../../store/index.ts';
import { createWebhookQueue } from './webhook-queue.ts';

/**
 * Queues again the events a configured webhook target did not accept in all their attempts (once it is fixed), with
 * their webhook-id, for the notifications job: `mailroom notifications redeliver` and the API's redeliver route.
 * USAGE for a target that is not configured (it names the known ones).
 */
export async function redeliverWebhooks(store: Store, clock: Clock, targets: readonly WebhookTargetConfig[], target: string): Promise<number> {
  const known = targets.map((w) => w.name);
  if (!known.includes(target)) throw new AppError('USAGE', `no webhook target named "${target}" (known: ${known.join(', ') || 'none'})`, { hint: 'Webhook targets are http.webhooks in a file in schedules/.' });
  return createWebhookQueue(store, clock).requeueFailed(target);
}
