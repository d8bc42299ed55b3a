import { randomUUID } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { CalendarSet, EventRecord } from '../calendar/calendar-store.ts';
import type { Mailbox, MailboxChange } from '../state/mailbox.ts';
import type { DirectoryObject } from '../state/tenant-state.ts';

const VALIDATION_TIMEOUT_MS = 10_000;

export interface Subscription {
  id: string;
  appId: string;
  resource: string;
  changeTypes: Set<string>;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  immutableIds: boolean;
  target: DirectoryObject;
  folderId: string | undefined;
  kind: 'message' | 'event';
  creatorId: string;
  unsubscribe: () => void;
}

/** Subscriptions, the validation handshake and notification delivery (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks). */
export class SubscriptionService {
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #agent: Agent;
  readonly #tenantId: () => string;
  duplicateRate = 0;
  readonly deliveries: { url: string; status: number | 'error'; body: unknown }[] = [];

  constructor(caPem: string, tenantId: () => string) {
    this.#agent = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
    this.#tenantId = tenantId;
  }

  async close(): Promise<void> {
    this.clear();
    await this.#agent.close();
  }

  clear(): void {
    for (const subscription of this.#subscriptions.values()) subscription.unsubscribe();
    this.#subscriptions.clear();
  }

  list(): Subscription[] {
    return [...this.#subscriptions.values()];
  }

  get(id: string): Subscription | undefined {
    return this.#subscriptions.get(id);
  }

  async #post(url: string, body: unknown): Promise<void> {
    const copies = Math.random() < this.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), dispatcher: this.#agent, signal: AbortSignal.timeout(10_000) } as RequestInit);
        await response.arrayBuffer();
        this.deliveries.push({ url, status: response.status, body });
      } catch {
        this.deliveries.push({ url, status: 'error', body });
      }
    }
  }

  /** POSTs `?validationToken=…` and requires 200, text/plain and the decoded token as body, within 10 s. */
  async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    try {
      const response = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '', dispatcher: this.#agent, signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS) } as RequestInit);
      const text = await response.text();
      return response.status === 200 && (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain') && text === token;
    } catch {
      return false;
    }
  }

  add(subscription: Omit<Subscription, 'unsubscribe'>): Subscription {
    const full: Subscription = { ...subscription, unsubscribe: () => undefined };
    if (full.kind === 'message' && full.target.mailbox !== undefined) {
      const mailbox: Mailbox = full.target.mailbox;
      const listener = (change: MailboxChange): void => {
        if (full.folderId !== undefined && change.folder.id !== full.folderId) return;
        if (!full.changeTypes.has(change.kind)) return;
        const id = full.immutableIds ? change.message.immutableId : change.message.restId;
        this.#notify(full, change.kind, id, 'Message', change.message.changeKey);
      };
      mailbox.listeners.add(listener);
      full.unsubscribe = () => mailbox.listeners.delete(listener);
    } else if (full.kind === 'event' && full.target.calendars !== undefined) {
      const calendars: CalendarSet = full.target.calendars;
      const listener = (kind: 'created' | 'updated' | 'deleted', event: EventRecord): void => {
        if (full.changeTypes.has(kind)) this.#notify(full, kind, event.id, 'Event', event.changeKey);
      };
      calendars.listeners.add(listener);
      full.unsubscribe = () => calendars.listeners.delete(listener);
    }
    this.#subscriptions.set(full.id, full);
    return full;
  }

  remove(id: string): void {
    this.#subscriptions.get(id)?.unsubscribe();
    this.#subscriptions.delete(id);
  }

  #notify(subscription: Subscription, changeType: string, id: string, type: 'Message' | 'Event', changeKey: string): void {
    if (Date.parse(subscription.expirationDateTime) <= Date.now()) return;
    const resource = `Users/${subscription.target.id}/${type}s/${id}`;
    const notification = {
      id: randomUUID(),
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      clientState: subscription.clientState,
      changeType,
      resource,
      tenantId: this.#tenantId(),
      resourceData: { '@odata.type': `#Microsoft.Graph.${type}`, '@odata.id': resource, '@odata.etag': `W/"${changeKey}"`, id },
    };
    setImmediate(() => void this.#post(subscription.notificationUrl, { value: [notification] }));
  }

  /** Sends a lifecycle notification (control API); `subscriptionRemoved` also ends the subscription. */
  async lifecycle(id: string, lifecycleEvent: string): Promise<boolean> {
    const subscription = this.#subscriptions.get(id);
    if (subscription?.lifecycleNotificationUrl === null || subscription === undefined) return false;
    if (lifecycleEvent === 'subscriptionRemoved') this.remove(id);
    await this.#post(subscription.lifecycleNotificationUrl, {
      value: [{ subscriptionId: id, subscriptionExpirationDateTime: subscription.expirationDateTime, tenantId: this.#tenantId(), clientState: subscription.clientState, lifecycleEvent }],
    });
    return true;
  }
}

