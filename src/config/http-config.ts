import type { SecretRef } from './secret-ref.ts';

export type WebhookEventType = 'ticket.created' | 'comment.added' | 'ticket.assigned' | 'ticket.status-changed' | 'ticket.due-changed'
  | 'notification.bounced' | 'recipient.suppressed';

/** One outbound webhook target (http.schema.json). */
export interface WebhookTargetConfig {
  name: string;
  url: string;
  secret: SecretRef;
  /** Event types delivered; all when absent. */
  events: readonly WebhookEventType[] | null;
  caFile?: string;
  enabled: boolean;
}

/** The HTTP server's settings after defaults (http.schema.json); `file` is where they came from. */
export interface HttpConfig {
  file: string | null;
  host: string;
  port: number;
  /** No trailing slash. */
  publicBaseUrl: string | null;
  tls: { certificateFile: string; privateKey: SecretRef } | null;
  trustProxy: boolean | readonly string[];
  sessionHours: number;
  signIn: { connection: string; admins: readonly string[]; readers: readonly string[] } | null;
  webhooks: readonly WebhookTargetConfig[];
}

/**
 * Defaults for a schedule file's `http` object, or for none at all (the demo: loopback, port 8080, no sign-in).
 * MAILROOM_HTTP_PORT overrides the port (0 picks a free one: tests and several projects on one machine).
 */
export function withHttpDefaults(raw: Record<string, unknown> | undefined, file: string | null, env: Readonly<Record<string, string | undefined>> = {}): HttpConfig {
  const r = raw ?? {};
  const envPort = env.MAILROOM_HTTP_PORT === undefined || env.MAILROOM_HTTP_PORT === '' ? undefined : Number(env.MAILROOM_HTTP_PORT);
  const signIn = r.signIn as { connection: string; admins?: string[]; readers?: string[] } | undefined;
  const webhooks = (r.webhooks as (Omit<WebhookTargetConfig, 'enabled' | 'events'> & { enabled?: boolean; events?: WebhookEventType[] })[] | undefined) ?? [];
  return {
    file,
    host: (r.host as string | undefined) ?? '127.0.0.1',
    port: envPort !== undefined && Number.isInteger(envPort) && envPort >= 0 && envPort <= 65535 ? envPort : (r.port as number | undefined) ?? 8080,
    publicBaseUrl: ((r.publicBaseUrl as string | undefined) ?? null)?.replace(/\/+$/, '') ?? null,
    tls: (r.tls as HttpConfig['tls'] | undefined) ?? null,
    trustProxy: (r.trustProxy as boolean | string[] | undefined) ?? false,
    sessionHours: (r.sessionHours as number | undefined) ?? 12,
    signIn: signIn ? { connection: signIn.connection, admins: signIn.admins ?? [], readers: signIn.readers ?? [] } : null,
    webhooks: webhooks.map((w) => ({ ...w, events: w.events ?? null, enabled: w.enabled ?? true })),
  };
}
