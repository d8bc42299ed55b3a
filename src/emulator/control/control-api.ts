import { json, type EmulatorResponse } from '../http/emulator-types.ts';
import { Router } from '../http/router.ts';
import type { DeviceFlow } from '../entra/device-flow.ts';
import { approveAuthorization } from '../entra/authorize-endpoint.ts';
import { expireSyncStates } from '../graph/message-delta.ts';
import type { GraphEnvironment } from '../graph/operation-context.ts';
import type { FaultSpec } from '../limits/fault-injector.ts';
import type { Mailbox } from '../state/mailbox.ts';
import { createMessageRecord } from '../state/message-record.ts';

export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
}

type ControlHandler = (request: ControlRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface ControlDependencies {
  env: GraphEnvironment;
  deviceFlow: () => DeviceFlow;
  reset: () => Promise<void>;
}

const problem = (status: number, code: string, message: string): EmulatorResponse => json(status, { error: { code, message } });

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The control API under `/_emulator` (no token; for tests, the demo and benchmarks). Documented in src/emulator/README.md.
 */
export function createControlRouter(deps: ControlDependencies): Router<ControlHandler> {
  const router = new Router<ControlHandler>();
  const { env } = deps;
  const mailboxOf = (upn: string | undefined): Mailbox | EmulatorResponse => {
    const target = env.state().find(upn ?? '');
    if (target?.mailbox === undefined) return problem(404, 'MailboxNotFound', `No mailbox '${upn ?? ''}' in this tenant.`);
    return target.mailbox;
  };
  const isResponse = (value: unknown): value is EmulatorResponse => typeof value === 'object' && value !== null && 'status' in value;

  router.add('GET', '/_emulator', () => json(200, { url: env.url, tenantId: env.state().definition.tenantId, epoch: env.epoch }));

  router.add('POST', '/_emulator/mailboxes/{upn}/messages', async ({ params, query, body }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    const path = query.get('folder') ?? 'Inbox';
    const folder = mailbox.folderByPath(path);
    if (folder === undefined) return problem(404, 'FolderNotFound', `No folder '${path}' in ${mailbox.upn}.`);
    if (body.length === 0) return problem(400, 'EmptyMessage', 'POST the raw MIME message as the request body.');
    const receivedText = query.get('receivedDateTime');
    const received = receivedText === null ? new Date() : new Date(receivedText);
    if (Number.isNaN(received.getTime())) return problem(400, 'BadDate', 'receivedDateTime is not a date.');
    const record = await createMessageRecord({ raw: body, folderId: folder.id, receivedAt: received, isRead: query.get('isRead') === 'true', domain: mailbox.domain });
    if (query.get('unconvertible') === 'true') record.mimeUnconvertible = true;
    mailbox.addMessage(folder, record);
    return json(201, { id: record.restId, immutableId: record.immutableId, internetMessageId: record.internetMessageId, folderId: folder.id });
  });

  router.add('GET', '/_emulator/mailboxes/{upn}/messages', ({ params, query }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    const path = query.get('folder');
    const folder = path === null ? undefined : mailbox.folderByPath(path);
    if (path !== null && folder === undefined) return problem(404, 'FolderNotFound', `No folder '${path}' in ${mailbox.upn}.`);
    const records = folder === undefined ? mailbox.allMessages() : mailbox.sortedMessages(folder);
    return json(200, {
      value: records.map((r) => ({
        id: r.restId,
        immutableId: r.immutableId,
        subject: r.subject,
        isRead: r.isRead,
        flag: r.flag,
        categories: r.categories,
        internetMessageId: r.internetMessageId,
        receivedDateTime: r.receivedDateTime,
        folder: mailbox.folderPath(mailbox.folders.get(r.folderId) ?? mailbox.folderOf('inbox')),
      })),
    });
  });

  router.add('GET', '/_emulator/mailboxes/{upn}/folders', ({ params }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    const value = [...mailbox.folders.values()]
      .filter((f) => f.id !== mailbox.rootId)
      .map((f) => ({ id: f.id, path: mailbox.folderPath(f), displayName: f.displayName, wellKnownName: f.wellKnownName ?? null, totalItemCount: f.messages.size }));
    return json(200, { value });
  });

  router.add('GET', '/_emulator/mailboxes/{upn}/sent', ({ params }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    return json(200, { value: mailbox.sentLog });
  });

  router.add('GET', '/_emulator/mailboxes/{upn}/events', ({ params }) => {
    const target = env.state().find(params.upn ?? '');
    if (target?.calendars === undefined) return problem(404, 'MailboxNotFound', `No mailbox '${params.upn ?? ''}' in this tenant.`);
    const value = target.calendars.calendars.flatMap((calendar) =>
      [...calendar.events.values()].map((e) => ({
        id: e.id,
        calendar: calendar.name,
        subject: e.props.subject ?? '',
        start: new Date(e.startMs).toISOString(),
        end: new Date(e.endMs).toISOString(),
        originalStart: e.start,
        originalEnd: e.end,
        isAllDay: e.isAllDay,
        type: e.recurrence === null ? 'singleInstance' : 'seriesMaster',
        recurrence: e.recurrence,
        transactionId: e.transactionId,
        showAs: e.props.showAs ?? 'busy',
        location: e.props.location ?? null,
        attendees: e.props.attendees ?? [],
        singleValueExtendedProperties: e.extendedProperties,
        cancelledOccurrences: [...e.cancelled],
        changeKey: e.changeKey,
      })),
    );
    return json(200, { value });
  });

  router.add('POST', '/_emulator/mailboxes/{upn}/expire-delta', ({ params }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    expireSyncStates(mailbox.folders.values());
    return { status: 204 };
  });

  // The Sent Items copy of a sent mail may appear late (https://learn.microsoft.com/en-us/graph/outlook-immutable-id).
  router.add('PUT', '/_emulator/mail/settings', ({ body }) => {
    const delay = parseJson(body)?.sentItemsDelayMs;
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) return problem(400, 'BadDelay', 'sentItemsDelayMs must be a number of milliseconds, 0 or more.');
    env.sentItems.delayMs = delay;
    return json(200, { sentItemsDelayMs: delay });
  });
  router.add('POST', '/_emulator/mailboxes/{upn}/sent-items/flush', ({ params }) => {
    const mailbox = mailboxOf(params.upn);
    if (isResponse(mailbox)) return mailbox;
    return json(200, { stored: env.sentItems.flush(mailbox.upn) });
  });

  router.add('GET', '/_emulator/subscriptions', () =>
    json(200, {
      value: env.subscriptions.list().map((sub) => ({ id: sub.id, appId: sub.appId, resource: sub.resource, changeType: [...sub.changeTypes].join(','), notificationUrl: sub.notificationUrl, expirationDateTime: sub.expirationDateTime })),
      deliveries: env.subscriptions.deliveries.length,
    }),
  );
  router.add('POST', '/_emulator/subscriptions/{id}/lifecycle', async ({ params, body }) => {
    const event = String(parseJson(body)?.lifecycleEvent ?? '');
    if (!['reauthorizationRequired', 'subscriptionRemoved', 'missed'].includes(event)) {
      return problem(400, 'BadLifecycleEvent', 'lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed.');
    }
    const sent = await env.subscriptions.lifecycle(params.id ?? '', event);
    return sent ? json(200, { sent: true }) : problem(404, 'NoLifecycleUrl', 'No such subscription, or it has no lifecycleNotificationUrl.');
  });
  router.add('PUT', '/_emulator/subscriptions/settings', ({ body }) => {
    const rate = Number(parseJson(body)?.duplicateRate ?? 0);
    if (!(rate >= 0 && rate <= 1)) return problem(400, 'BadRate', 'duplicateRate must be between 0 and 1.');
    env.subscriptions.duplicateRate = rate;
    return json(200, { duplicateRate: rate });
  });

  router.add('GET', '/_emulator/stats', () => json(200, env.stats.snapshot()));
  router.add('DELETE', '/_emulator/stats', () => {
    env.stats.reset();
    return { status: 204 };
  });

  router.add('POST', '/_emulator/faults', ({ body }) => {
    const spec = parseJson(body);
    if (spec === undefined || typeof spec.status !== 'number') return problem(400, 'BadFault', 'A fault needs at least a numeric "status".');
    const added = env.faults.add(spec as unknown as FaultSpec);
    return 'problem' in added ? problem(400, 'BadFault', added.problem) : json(201, added);
  });
  router.add('GET', '/_emulator/faults', () => json(200, { value: env.faults.list() }));
  router.add('DELETE', '/_emulator/faults', () => {
    env.faults.clear();
    return { status: 204 };
  });

  router.add('POST', '/_emulator/reset', async () => {
    await deps.reset();
    return json(200, { reset: true, epoch: env.epoch });
  });

  router.add('GET', '/_emulator/device/pending', () =>
    json(200, { value: deps.deviceFlow().pending().map((a) => ({ userCode: a.userCode, clientId: a.clientId, scopes: a.scopes, expiresAt: new Date(a.expiresAt).toISOString() })) }),
  );
  const decide = (approve: boolean): ControlHandler => ({ body }) => {
    const input = parseJson(body);
    const authorization = deps.deviceFlow().byUserCode(String(input?.userCode ?? ''));
    if (authorization === undefined || authorization.status !== 'pending') return problem(404, 'UnknownUserCode', 'No pending sign-in has that user code.');
    if (!approve) {
      authorization.status = 'declined';
      return json(200, { declined: true });
    }
    const user = env.state().find(String(input?.upn ?? ''));
    if (user === undefined || user.kind !== 'user') return problem(404, 'UnknownUser', `No user '${String(input?.upn ?? '')}' in this tenant.`);
    authorization.user = user;
    authorization.status = 'approved';
    return json(200, { approved: true, upn: user.upn });
  };
  // People's browser sign-ins (authorize endpoint): a test picks the account instead of clicking on the sign-in page.
  router.add('GET', '/_emulator/sign-ins/pending', () =>
    json(200, { value: deps.deviceFlow().authCodes.pending().map((p) => ({ requestId: p.requestId, state: p.state, clientId: p.clientId, redirectUri: p.redirectUri, scopes: p.scopes })) }),
  );
  router.add('POST', '/_emulator/sign-ins/approve', ({ body }) => {
    const input = parseJson(body);
    const pending = deps.deviceFlow().authCodes.find(String(input?.state ?? input?.requestId ?? ''));
    if (pending === undefined) return problem(404, 'UnknownSignIn', 'No pending sign-in has that state or request id.');
    const user = env.state().find(String(input?.upn ?? ''));
    if (user === undefined || user.kind !== 'user') return problem(404, 'UnknownUser', `No user '${String(input?.upn ?? '')}' in this tenant.`);
    const roles = Array.isArray(input?.roles) ? (input.roles as unknown[]).map(String) : undefined;
    return json(200, { location: approveAuthorization(deps.deviceFlow().authCodes, pending, user, roles) });
  });
  router.add('POST', '/_emulator/device/approve', decide(true));
  router.add('POST', '/_emulator/device/deny', decide(false));
  return router;
}
