import { randomUUID } from 'node:crypto';
import { empty, json, type EmulatorResponse } from '../http/emulator-types.ts';
import { accessDenied, GraphError } from '../http/graph-error.ts';
import { splitPath, type Router } from '../http/router.ts';
import { resolveFolder, readJsonBody } from './mail-folder-routes.ts';
import type { OperationContext, RouteMeta } from './operation-context.ts';
import { CALENDAR_READ, MAIL_READ } from './permissions.ts';
import type { Subscription, SubscriptionService } from './subscription-service.ts';

/** Outlook basic subscriptions live at most 10,080 minutes; shorter than 45 minutes is raised to 45 (graph-behaviour.md §8). */
const MAX_MINUTES = 10_080;
const MIN_MINUTES = 45;

function subscriptionJson(s: Subscription): Record<string, unknown> {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
    id: s.id,
    resource: s.resource,
    applicationId: s.appId,
    changeType: [...s.changeTypes].join(','),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

function checkExpiration(value: unknown): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new GraphError(400, 'ExtensionError', 'expirationDateTime is required and must be a date-time.');
  const now = Date.now();
  if (ms > now + MAX_MINUTES * 60_000) throw new GraphError(400, 'ExtensionError', `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`);
  if (ms <= now) throw new GraphError(400, 'ExtensionError', 'Subscription expiration must be in the future.');
  return new Date(Math.max(ms, now + MIN_MINUTES * 60_000)).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
}

function serviceOf(ctx: OperationContext): SubscriptionService {
  return ctx.env.subscriptions;
}

function ownSubscription(ctx: OperationContext): Subscription {
  const subscription = serviceOf(ctx).get(ctx.params.id ?? '');
  if (subscription === undefined || subscription.appId !== ctx.principal.appId) {
    throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
  }
  return subscription;
}

async function createSubscription(ctx: OperationContext): Promise<EmulatorResponse> {
  const body = readJsonBody(ctx);
  const resource = String(body.resource ?? '');
  const segments = splitPath(resource.replace(/^https:\/\/[^/]+\/v1\.0/i, ''));
  const [first, userKey, ...rest] = segments;
  if (first?.toLowerCase() !== 'users' || userKey === undefined) throw new GraphError(400, 'InvalidRequest', `The resource '${resource}' is not supported.`);
  const target = ctx.env.state().find(userKey);
  if (target?.mailbox === undefined) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userKey}' is invalid.`);
  const path = rest.map((s) => s.toLowerCase()).join('/');
  let kind: 'message' | 'event';
  let folderId: string | undefined;
  if (path === 'messages') kind = 'message';
  else if (rest.length === 3 && rest[0]?.toLowerCase() === 'mailfolders' && rest[2]?.toLowerCase() === 'messages') {
    kind = 'message';
    folderId = resolveFolder(target.mailbox, rest[1] ?? '').id;
  } else if (path === 'events' || path === 'calendar/events') kind = 'event';
  else throw new GraphError(400, 'InvalidRequest', `The resource '${resource}' is not supported.`);
  const needed = kind === 'message' ? [...MAIL_READ, 'Mail.ReadBasic', 'Mail.ReadBasic.All'] : CALENDAR_READ;
  if (!needed.some((p) => ctx.principal.permissions.has(p))) throw accessDenied();
  const policy = ctx.principal.app.def.mailboxAccess;
  if (ctx.principal.kind === 'app' && policy !== undefined && !policy.restrictTo.some((m) => m.toLowerCase() === target.upn)) throw accessDenied();
  const changeTypes = new Set(String(body.changeType ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''));
  if (changeTypes.size === 0 || [...changeTypes].some((c) => !['created', 'updated', 'deleted'].includes(c))) {
    throw new GraphError(400, 'InvalidRequest', "changeType must be a comma-separated list of 'created', 'updated' and 'deleted'.");
  }
  const clientState = body.clientState === undefined || body.clientState === null ? null : String(body.clientState);
  if (clientState !== null && clientState.length > 128) throw new GraphError(400, 'InvalidRequest', 'clientState must be at most 128 characters.');
  const expirationDateTime = checkExpiration(body.expirationDateTime);
  const urls = [body.notificationUrl, body.lifecycleNotificationUrl].filter((u) => u !== undefined && u !== null).map(String);
  for (const url of urls) {
    if (!url.startsWith('https://')) throw new GraphError(400, 'ValidationError', 'The notificationUrl and lifecycleNotificationUrl must use https.');
    if (!(await serviceOf(ctx).validate(url))) {
      throw new GraphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
    }
  }
  const immutableIds = ctx.prefer.immutableId;
  if (immutableIds) ctx.applied.add('IdType="ImmutableId"');
  const subscription = serviceOf(ctx).add({
    id: randomUUID(), appId: ctx.principal.appId, resource, changeTypes, notificationUrl: String(body.notificationUrl),
    lifecycleNotificationUrl: body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null ? null : String(body.lifecycleNotificationUrl),
    clientState, expirationDateTime, immutableIds, target, folderId, kind, creatorId: ctx.principal.userId ?? ctx.principal.app.servicePrincipalId,
  });
  return json(201, subscriptionJson(subscription));
}

export function registerSubscriptionRoutes(router: Router<RouteMeta>): void {
  const meta = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'subscriptions', permissions: [], handler });
  router.add('POST', '/subscriptions', meta(createSubscription));
  router.add('GET', '/subscriptions', meta((ctx) => json(200, { value: serviceOf(ctx).list().filter((s) => s.appId === ctx.principal.appId).map(subscriptionJson) })));
  router.add('GET', '/subscriptions/{id}', meta((ctx) => json(200, subscriptionJson(ownSubscription(ctx)))));
  router.add('PATCH', '/subscriptions/{id}', meta((ctx) => {
    const subscription = ownSubscription(ctx);
    subscription.expirationDateTime = checkExpiration(readJsonBody(ctx).expirationDateTime);
    return json(200, subscriptionJson(subscription));
  }));
  router.add('DELETE', '/subscriptions/{id}', meta((ctx) => {
    serviceOf(ctx).remove(ownSubscription(ctx).id);
    return empty(204);
  }));
  router.add('POST', '/subscriptions/{id}/reauthorize', meta((ctx) => {
    ownSubscription(ctx);
    return empty(204);
  }));
}
