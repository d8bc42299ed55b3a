import type { GraphClient } from '../graph-client-types.ts';
import { userPath } from '../user-path.ts';

/** What Graph answers for a subscription (the fields we use). https://learn.microsoft.com/en-us/graph/api/resources/subscription */
export interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
}

export interface CreateSubscriptionOptions {
  /** `/users/{u}/mailFolders/{id}/messages` or `/users/{u}/events`; see `subscriptionResource`. */
  resource: string;
  changeTypes: readonly ('created' | 'updated' | 'deleted')[];
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** A secret of ours (≤ 128 characters) that Graph sends back with every notification. */
  clientState: string;
  expiresAt: Date;
  signal?: AbortSignal;
}

/** Graph's own date-time form; it accepts ISO 8601 with a Z. */
function graphDate(at: Date): string {
  return at.toISOString();
}

/** The resource a job subscribes to: one mail folder's messages, or a mailbox's events. */
export function subscriptionResource(target: { kind: 'mail'; mailbox: string; folderId: string } | { kind: 'events'; mailbox: string }): string {
  return target.kind === 'mail'
    ? `${userPath(target.mailbox)}/mailFolders/${encodeURIComponent(target.folderId)}/messages`
    : `${userPath(target.mailbox)}/events`;
}

/**
 * Creates a subscription. Graph first calls both URLs with a validation token and fails the create when either does
 * not answer it within 10 s: https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 * Immutable ids in notifications need the Prefer header on the create call.
 */
export function createSubscription(graph: GraphClient, options: CreateSubscriptionOptions): Promise<GraphSubscription> {
  return graph.post<GraphSubscription>('/subscriptions', {
    changeType: options.changeTypes.join(','),
    notificationUrl: options.notificationUrl,
    lifecycleNotificationUrl: options.lifecycleNotificationUrl,
    resource: options.resource,
    expirationDateTime: graphDate(options.expiresAt),
    clientState: options.clientState,
  }, { headers: { Prefer: 'IdType="ImmutableId"' }, ...(options.signal ? { signal: options.signal } : {}) });
}

/** Extends a subscription; Graph answers 404 once it has expired or was removed. */
export function renewSubscription(graph: GraphClient, options: { id: string; expiresAt: Date; signal?: AbortSignal }): Promise<GraphSubscription> {
  return graph.patch<GraphSubscription>(`/subscriptions/${encodeURIComponent(options.id)}`, { expirationDateTime: graphDate(options.expiresAt) }, {
    idempotent: true, ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Answers a `reauthorizationRequired` lifecycle event: https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events */
export async function reauthorizeSubscription(graph: GraphClient, options: { id: string; signal?: AbortSignal }): Promise<void> {
  await graph.post(`/subscriptions/${encodeURIComponent(options.id)}/reauthorize`, {}, { idempotent: true, ...(options.signal ? { signal: options.signal } : {}) });
}

export function deleteSubscription(graph: GraphClient, options: { id: string; signal?: AbortSignal }): Promise<void> {
  return graph.delete(`/subscriptions/${encodeURIComponent(options.id)}`, options.signal ? { signal: options.signal } : {});
}
