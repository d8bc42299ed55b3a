/** Watching the service: alert conditions, their mail through the notifications outbox, health. The only public face of src/watch. */
export { createAlertsHandler, type AlertsHandlerDeps } from './create-alerts-handler.ts';
export { listActiveAlerts, type ActiveAlert } from './list-active-alerts.ts';
export { reportPushSubscription, listAlertSignals, type PushSubscriptionReport } from './report-push-subscription.ts';
export { readCredentialExpiry, type CredentialExpiry } from './read-credential-expiry.ts';
export { findAlertConditions, alertRulesOf } from './find-alert-conditions.ts';
export { planAlertTransitions, type AlertTransition, type TransitionPolicy } from './plan-alert-transitions.ts';
export type * from './alert-types.ts';
export type { AlertRules, WatchFacts } from './watch-facts.ts';
export { createReadinessChecks, checkReadiness, type ReadinessCheck, type ReadinessReport } from './create-readiness-checks.ts';
export { assessHealth, healthExitCodes, type HealthCheck, type HealthContext, type HealthReport, type HealthStatus, type ScheduledEntry } from './assess-health.ts';
