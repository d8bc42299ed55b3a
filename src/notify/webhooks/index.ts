/** Outbound webhooks: ticket events → durable queue (MongoDB) → signed POSTs (Standard Webhooks), retried with backoff. */
export { deliverWebhooks, type WebhookContext, type WebhookRunCounts } from './deliver-webhooks.ts';
export { signWebhook, verifyWebhook, webhookKey } from './sign-webhook.ts';
export { createWebhookQueue, webhookMessageId, type WebhookDelivery, type WebhookQueue, type WebhookDeliveryStatus } from './webhook-queue.ts';
export { redeliverWebhooks } from './redeliver-webhooks.ts';
