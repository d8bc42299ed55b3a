import type { Clock } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { NotificationBounces, SentNotificationRef } from '../tickets/index.ts';
import { createOutbox } from './create-outbox.ts';
import { createSuppressionList, suppressedError } from './create-suppression-list.ts';

export interface NotificationBouncesDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** `limits.hardBouncesToSuppress` of rules/notifications.json (read when a hard bounce is recorded, so an edit applies). */
  hardBouncesToSuppress(): Promise<number>;
}

/**
 * The outbox's side of bounces, handed to the mail connector: it finds the notification a delivery report names by
 * our Message-ID, records the report on it (a failure makes it `bounced`, a delay is only recorded), and counts hard
 * bounces per address; the one that reaches the threshold suppresses the address and every notification still
 * pending to it. Idempotent by the report mail's key, so a rerun of the mail's chunk changes nothing.
 */
export function createNotificationBounces(deps: NotificationBouncesDeps): NotificationBounces {
  const outbox = createOutbox(deps.store, deps.clock);
  const suppressions = createSuppressionList(deps.store, deps.clock);

  return {
    async findSent(messageIds) {
      // Our ids are lower-case; a server that changed their case still names the same mail.
      const variants = (id: string): string[] => [...new Set([`<${id}>`, `<${id.toLowerCase()}>`])];
      const entries = await outbox.findByMessageIds(messageIds.flatMap(variants));
      const byId = new Map(entries.map((e) => [e.internetMessageId, e]));
      const found = new Map<string, SentNotificationRef>();
      for (const id of messageIds) {
        const entry = variants(id).map((v) => byId.get(v)).find((e) => e !== undefined);
        // Only mail that went out can bounce; a pending entry with the same id is a coincidence, not a report on it.
        if (entry && (entry.status === 'sent' || entry.status === 'bounced')) {
          found.set(id, { id: entry._id, ticketNumber: entry.ticketNumber, to: entry.to, rule: entry.rule, subject: entry.subject, internetMessageId: entry.internetMessageId });
        }
      }
      return found;
    },

    async record(reports) {
      for (const report of reports) {
        const at = report.reportedAt ?? deps.clock();
        await outbox.recordDeliveryReport(report.notificationId, {
          reportKey: report.reportKey, action: report.action, status: report.status, recipient: report.recipient,
          diagnostic: report.diagnostic, permanent: report.permanent, reporter: report.reporter, reportedAt: at,
        });
        if (report.action !== 'failed' || !report.permanent) continue;
        const threshold = await deps.hardBouncesToSuppress();
        const { entry, suppressedNow } = await suppressions.recordHardBounce(report.to, { notificationId: report.notificationId, status: report.status, diagnostic: report.diagnostic, at }, threshold);
        if (!suppressedNow) continue;
        const pending = await outbox.suppressPending(entry._id, suppressedError(entry));
        deps.logger.warn(`notifications to ${entry._id} are suppressed after ${entry.hardBounces.length} hard bounces`, { pendingSuppressed: pending, status: report.status });
      }
    },
  };
}
