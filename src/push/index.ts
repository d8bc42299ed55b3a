/** Graph change notifications for jobs: subscriptions kept per job, notifications and lifecycle events that wake jobs. */
export { createPushStore, hashClientState, unknownSubscriptionsKey, type PushStore } from './create-push-store.ts';
export { keepSubscription, type PushSettings, type PushTarget, type KeepResult } from './keep-subscription.ts';
export { receiveNotifications, type ChangeNotificationBody, type ReceiveResult } from './receive-notifications.ts';
export { summarizePush, type PushState, type PushStatus, type PushSummary } from './push-state.ts';
export { withPush, wakeIfNotifiedDuringRun, wantsPush, pushTargetsOf, type PushDeps, type PushWaker, type PushJobOptions } from './with-push.ts';
export { pushSettingsFor } from './push-settings.ts';
