import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { receiveNotifications, type ChangeNotificationBody, type PushStore } from '../../push/index.ts';
import type { RouteGroup } from '../route-group.ts';

export interface GraphNotificationDeps {
  push: PushStore;
  clock: Clock;
  logger: Logger;
  /** Brings the named job's next run forward (its single scheduler entry). */
  wake(job: string): Promise<void>;
}

/** Paths Graph posts to; they sit outside /api/v1 because Graph authenticates with the clientState, not our tokens. */
export const notificationPaths = { change: '/graph/notifications', lifecycle: '/graph/lifecycle' } as const;

/**
 * Graph's change-notification endpoint. The validation handshake echoes the token as text/plain within 10 s; a
 * notification is answered 202 within 3 s and only wakes its job (the delta round that follows is the truth), so
 * duplicates, late and out-of-order notifications are harmless:
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 */
export async function registerGraphNotificationRoutes(fastify: FastifyInstance, deps: GraphNotificationDeps): Promise<void> {
  for (const [kind, url] of Object.entries(notificationPaths) as ['change' | 'lifecycle', string][]) {
    fastify.post(url, {
      // Graph presents no token of ours: the clientState of each notification is its credential.
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { validationToken: { type: 'string', maxLength: 4096 } } },
      },
    }, async (request, reply) => {
      const { validationToken } = request.query as { validationToken?: string };
      if (validationToken !== undefined) {
        // Fastify has already URL-decoded the query: Graph wants the decoded token back, as plain text.
        return reply.code(200).type('text/plain; charset=utf-8').send(validationToken);
      }
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as ChangeNotificationBody;
      const result = await receiveNotifications({ store: deps.push, clock: deps.clock }, body, kind);
      if (result.refused > 0) deps.logger.warn(`push: refused ${result.refused} ${kind} notification(s): unknown subscription or wrong clientState`, { accepted: result.accepted, refused: result.refused });
      // Waking happens after the answer: Graph only waits 3 s, and the wake needs nothing from it.
      setImmediate(() => {
        for (const job of result.wake) {
          deps.wake(job).catch((error: Error) => deps.logger.warn(`push: could not wake ${job}: ${error.message}`));
        }
      });
      if (result.accepted === 0 && result.refused > 0) {
        return reply.code(403).send({ error: { code: 'PUSH_NOTIFICATION_REFUSED', message: 'no notification in this request names a subscription of ours with its clientState', hint: 'Graph sends these for subscriptions Mailroom created; anything else is refused and counted.' } });
      }
      return reply.code(202).send();
    });
  }
}

/** The endpoint as a route group of the server (`host.push` and `host.wakeJob` come from the app). */
export const graphNotificationRoutes: RouteGroup = {
  name: 'graph-notifications',
  prefix: '',
  register: (fastify, context) => registerGraphNotificationRoutes(fastify, {
    push: context.host.push, clock: context.host.clock, logger: context.host.logger,
    wake: async (job) => void (await context.host.wakeJob(job)),
  }),
};
