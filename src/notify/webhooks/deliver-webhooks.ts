import { fetch, type Dispatcher } from 'undici';
import { resolve } from 'node:path';
import { createTlsDispatcher } from '../../auth/index.ts';
import type { WebhookTargetConfig } from '../../config/http-config.ts';
import { resolveSecret } from '../../config/secret-ref.ts';
import type { Clock } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import type { Store } from '../../store/index.ts';
import { createTicketStore, listTicketEventsSince, type Ticket, type TicketEvent } from '../../tickets/index.ts';
import { listNotificationEvents } from './list-notification-events.ts';
import { signWebhook } from './sign-webhook.ts';
import { createWebhookQueue, type WebhookDelivery } from './webhook-queue.ts';

export interface WebhookContext {
  store: Store;
  clock: Clock;
  logger: Logger;
  targets: readonly WebhookTargetConfig[];
  /** For the targets' secret references and CA files. */
  env: Readonly<Record<string, string | undefined>>;
  baseDir: string;
  signal?: AbortSignal;
  /** Defaults: 200 deliveries per call, 10 attempts, first retry after 30 s (doubling, at most 1 hour), 10 s timeout. */
  limits?: { perRun?: number; maxAttempts?: number; retryBaseDelayMs?: number; timeoutMs?: number };
}

export interface WebhookRunCounts {
  queued: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** Events this much older than a target's watermark are looked at again: a writer's clock may lag a little. */
const overlapMs = 5 * 60_000;
const leaseMs = 2 * 60_000;

function payload(event: TicketEvent, ticket: Ticket | undefined): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.at.toISOString(),
    data: {
      eventId: event._id,
      ticketNumber: event.ticketNumber,
      change: event.data,
      ticket: ticket ? {
        number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority, assignee: ticket.assignee,
        group: ticket.group, dueAt: ticket.dueAt, requester: ticket.requester, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt,
      } : null,
    },
  });
}

/** Queues the ticket events each enabled target wants (once per target and event: the queue's key). */
async function queueEvents(context: WebhookContext): Promise<number> {
  const queue = createWebhookQueue(context.store, context.clock);
  const tickets = createTicketStore(context.store, context.clock);
  let queued = 0;
  for (const target of context.targets.filter((t) => t.enabled)) {
    const since = (await queue.watermark(target.name)) ?? context.clock();
    const events = await listTicketEventsSince(context.store, new Date(since.getTime() - overlapMs), 1000);
    const wanted = events.filter((e) => target.events === null || target.events.includes(e.type));
    const snapshot = await tickets.findTickets(wanted.map((e) => e.ticketNumber));
    queued += await queue.enqueue(wanted.map((e) => ({ target: target.name, eventId: e._id, type: e.type, body: payload(e, snapshot.get(e.ticketNumber)) })));
    // The watermark moves only after the deliveries are written: a crash in between queues the same (keyed) ones again.
    await queue.setWatermark(target.name, events.length > 0 ? events[events.length - 1]!.at : since);
    queued += await queueNotificationEvents(context, target);
  }
  return queued;
}

/** Bounces of our notifications and suppressed addresses, with a watermark of their own per target. */
async function queueNotificationEvents(context: WebhookContext, target: WebhookTargetConfig): Promise<number> {
  const queue = createWebhookQueue(context.store, context.clock);
  const mark = `${target.name}|notifications`;
  const since = (await queue.watermark(mark)) ?? context.clock();
  const { events, upTo } = await listNotificationEvents(context.store, new Date(since.getTime() - overlapMs), 1000);
  const wanted = events.filter((e) => target.events === null || target.events.includes(e.type));
  const queued = await queue.enqueue(wanted.map((e) => ({ target: target.name, eventId: e.eventId, type: e.type, body: e.body })));
  await queue.setWatermark(mark, upTo ?? since);
  return queued;
}

async function post(target: WebhookTargetConfig, delivery: WebhookDelivery, context: WebhookContext, dispatchers: Map<string, Dispatcher | undefined>): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const secret = resolveSecret(target.secret, { env: context.env, baseDir: context.baseDir }, `http.webhooks ${target.name} secret`);
  const timestamp = Math.floor(context.clock().getTime() / 1000);
  if (!dispatchers.has(target.name)) dispatchers.set(target.name, target.caFile ? createTlsDispatcher(resolve(context.baseDir, target.caFile)) : undefined);
  const dispatcher = dispatchers.get(target.name);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      body: delivery.body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, delivery.messageId, timestamp, delivery.body),
        'user-agent': 'Mailroom-Webhooks',
      },
      signal: AbortSignal.timeout(context.limits?.timeoutMs ?? 10_000),
      redirect: 'manual',
      ...(dispatcher ? { dispatcher } : {}),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, code: 'WEBHOOK_DELIVERY_FAILED', message: `${target.name} answered ${response.status}` };
  } catch (error) {
    return { ok: false, code: 'WEBHOOK_DELIVERY_FAILED', message: `${target.name} could not be reached: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}` };
  }
}

/**
 * Outbound webhooks: queue new ticket events per target (and our notifications' bounces and suppressed addresses), then deliver what is due, each signed (Standard Webhooks)
 * and retried with backoff until a 2xx. At least once: a crash after the POST and before it is marked delivered
 * sends it again with the same webhook-id, which receivers use to drop the repeat; it is marked delivered once.
 */
export async function deliverWebhooks(context: WebhookContext): Promise<WebhookRunCounts> {
  const counts: WebhookRunCounts = { queued: await queueEvents(context), delivered: 0, retrying: 0, failed: 0 };
  const queue = createWebhookQueue(context.store, context.clock);
  const targets = new Map(context.targets.map((t) => [t.name, t]));
  const dispatchers = new Map<string, Dispatcher | undefined>();
  const maxAttempts = context.limits?.maxAttempts ?? 10;
  const baseDelay = context.limits?.retryBaseDelayMs ?? 30_000;
  for (let i = 0; i < (context.limits?.perRun ?? 200) && !context.signal?.aborted; i += 1) {
    const delivery = await queue.claimNext(leaseMs);
    if (!delivery) break;
    const target = targets.get(delivery.target);
    if (!target || !target.enabled) {
      await queue.retryLater(delivery._id, new Date(context.clock().getTime() + 3_600_000), { code: 'WEBHOOK_DELIVERY_FAILED', message: `target ${delivery.target} is not configured or disabled` });
      continue;
    }
    const result = await post(target, delivery, context, dispatchers);
    if (result.ok) {
      if (await queue.markDelivered(delivery._id, delivery.attempts)) counts.delivered += 1;
      continue;
    }
    const error = { code: result.code, message: result.message };
    if (delivery.attempts >= maxAttempts) {
      await queue.markFailed(delivery._id, error);
      counts.failed += 1;
      context.logger.warn(`webhook ${delivery.messageId} to ${target.name} failed after ${delivery.attempts} attempts: ${result.message}`, { code: result.code });
    } else {
      const delay = Math.min(3_600_000, baseDelay * 2 ** (delivery.attempts - 1));
      await queue.retryLater(delivery._id, new Date(context.clock().getTime() + delay), error);
      counts.retrying += 1;
    }
  }
  for (const dispatcher of dispatchers.values()) await dispatcher?.close().catch(() => undefined);
  return counts;
}
