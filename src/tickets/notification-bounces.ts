/**
 * The port through which the mail lane records delivery reports (bounces) for the notifications Mailroom sent. The
 * outbox belongs to src/notify, which the mail lane may not import; the composition root (src/app.ts) hands the mail
 * connector notify's implementation. Without one, a delivery report follows the rules like any other mail.
 */
export interface NotificationBounces {
  /** The notifications we sent under these Message-IDs (without angle brackets), keyed by the id as asked. */
  findSent(messageIds: readonly string[]): Promise<Map<string, SentNotificationRef>>;
  /** Records each report on its notification, idempotently by `reportKey`; hard bounces count towards suppression. */
  record(reports: readonly DeliveryReportWrite[]): Promise<void>;
}

/** A sent notification as the outbox knows it: what a delivery report is matched with. */
export interface SentNotificationRef {
  /** The outbox key. */
  id: string;
  /** 0 for mail that belongs to no ticket (alerts). */
  ticketNumber: number;
  to: string;
  rule: string;
  subject: string;
  /** With angle brackets. */
  internetMessageId: string;
}

/** One delivery report for one notification, as the mail lane read it. */
export interface DeliveryReportWrite {
  /** The report mail's ledger key: the same report recorded twice (a rerun) counts once. */
  reportKey: string;
  notificationId: string;
  /** The notification's recipient: the address a hard bounce counts against. */
  to: string;
  /** RFC 3464 Action: `failed` is a bounce, `delayed` is recorded and is not. */
  action: 'failed' | 'delayed';
  /** RFC 3463 status code ("5.1.10"), null when the report gives none. */
  status: string | null;
  /** The recipient the report names (usually `to`; a forwarding address may differ). */
  recipient: string;
  diagnostic: string | null;
  /** A hard bounce: failed with a 5.x.x status. Only hard bounces count towards suppressing the address. */
  permanent: boolean;
  /** Who sent the report (MAILER-DAEMON, postmaster, Exchange's Microsoft Outlook address). */
  reporter: string | null;
  /** The report mail's Date header; null when it has none (the outbox then records when it heard of it). */
  reportedAt: Date | null;
}
