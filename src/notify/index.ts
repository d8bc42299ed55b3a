/**
 * Outbound notifications: rules/notifications.json → outbox → Graph sendMail. The only public face of src/notify.
 * Bounces come back through the mail lane: createNotificationBounces is the outbox's side of the tickets
 * NotificationBounces port (wired in src/app.ts); repeated hard bounces suppress an address (createSuppressionList).
 */
export { createNotificationsHandler, type NotificationsHandlerDeps } from './create-notifications-handler.ts';
export { createOutbox, type Outbox, type ListOutboxQuery, type NewOutboxEntry } from './create-outbox.ts';
export { loadNotifications, compileNotifications, defaultLimits, type CompiledNotifications, type CompiledNotificationRule } from './load-notifications.ts';
export { planNotifications, type PlanContext, type PlannedNotification } from './plan-notifications.ts';
export { buildMimeMessage, type MimeInput } from './build-mime-message.ts';
export { notificationMessageId } from './queue-notification.ts';
export { reminderEventId } from './queue-due-reminders.ts';
export type { DeliveryHooks } from './drain-outbox.ts';
export type * from './notification-types.ts';
export { queueAgentReply } from './queue-agent-reply.ts';
export { addAgentComment, type AgentComment, type AgentCommentDeps } from './add-agent-comment.ts';
export { createNotificationBounces, type NotificationBouncesDeps } from './create-notification-bounces.ts';
export { createSuppressionList, type SuppressionList } from './create-suppression-list.ts';
