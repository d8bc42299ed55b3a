import { AppError, type Clock } from '../core/index.ts';
import type { NotificationsJobConfig } from '../config/job-config.ts';
import type { GraphCallCounter, GraphClient } from '../graph/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { createTicketStore } from '../tickets/index.ts';
import { createOutbox } from './create-outbox.ts';
import { drainOutbox, type DeliveryHooks } from './drain-outbox.ts';
import { loadNotifications } from './load-notifications.ts';
import { queueDueReminders } from './queue-due-reminders.ts';
import { queueEventNotifications } from './queue-event-notifications.ts';
import { deliverWebhooks, type WebhookContext } from './webhooks/index.ts';

export interface NotificationsHandlerDeps {
  store: Store;
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  clock: Clock;
  logger: Logger;
  /** rules/notifications.json; null: no rules (what is already in the outbox is still sent). */
  notificationsFile: string | null;
  /** Every mailbox a mail job reads: never notified, whatever a rule says. */
  ownMailboxes: readonly string[];
  /** Outbound webhook targets (schedules/ http.webhooks): delivered after the outbox, in the same run. */
  webhooks?: Pick<WebhookContext, 'targets' | 'env' | 'baseDir' | 'limits'>;
  /** Test seams to stop the process at a chosen point (crash tests); never set in production. */
  hooks?: DeliveryHooks & { afterQueue?(): void | Promise<void> };
}

/**
 * One run of a notifications job: (1) pending ticket events → outbox, (2) due-date reminders → outbox,
 * (3) drain the outbox through Graph sendMail. Each phase is idempotent, so a run killed anywhere is repaired by the
 * next. The rules file is read per run, so an edited file applies without a restart (it is small).
 */
export function createNotificationsHandler(deps: NotificationsHandlerDeps): JobHandler<NotificationsJobConfig> {
  return async (job, ctx) => {
    const notifications = await loadNotifications(deps.notificationsFile);
    const outbox = createOutbox(deps.store, deps.clock);
    const senderMailbox = job.mailbox.toLowerCase();
    const plan = {
      groups: notifications.groups,
      ownMailboxes: new Set([senderMailbox, ...deps.ownMailboxes.map((m) => m.toLowerCase())]),
      renderLink: notifications.renderLink,
    };
    const common = { store: deps.store, outbox, clock: deps.clock, limits: notifications.limits, senderMailbox, run: ctx.run, signal: ctx.signal, logger: ctx.logger };
    if (notifications.rules.length === 0) ctx.run.note(`no notification rules (${deps.notificationsFile ?? 'no rules/notifications.json'}); only the outbox is drained`);

    await queueEventNotifications({ ...common, tickets: createTicketStore(deps.store, deps.clock), notifications, plan });
    await queueDueReminders({ ...common, notifications, plan });
    await deps.hooks?.afterQueue?.();

    const graphs = new Map<string, GraphClient>();
    await drainOutbox({
      ...common,
      graphFor: (connection) => {
        let graph = graphs.get(connection);
        if (!graph) graphs.set(connection, (graph = deps.graphFor(connection, ctx.graphCalls)));
        return graph;
      },
      sender: { connection: job.connection, mailbox: senderMailbox },
      limits: notifications.limits,
      ...(deps.hooks ? { hooks: deps.hooks } : {}),
    });
    if (deps.webhooks && deps.webhooks.targets.some((t) => t.enabled) && !ctx.signal.aborted) {
      const webhooks = await deliverWebhooks({ ...deps.webhooks, store: deps.store, clock: deps.clock, logger: ctx.logger, signal: ctx.signal });
      for (const [name, n] of Object.entries(webhooks)) if (n > 0) ctx.run.count(`webhooks.${name}`, n);
    }
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `job ${job.name} was stopped; the next run continues with what is left`);
  };
}
