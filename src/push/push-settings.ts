import type { PushSettings } from './keep-subscription.ts';

/** Graph only delivers to https endpoints; without such a public base URL push stays off and jobs poll. */
export function pushSettingsFor(publicBaseUrl: string | null | undefined, paths: { change: string; lifecycle: string }, options: { lifetimeMinutes?: number } = {}): PushSettings | null {
  if (!publicBaseUrl || !publicBaseUrl.startsWith('https://')) return null;
  const base = publicBaseUrl.replace(/\/+$/, '');
  const lifetimeMinutes = options.lifetimeMinutes ?? 4200;
  return { notificationUrl: `${base}${paths.change}`, lifecycleNotificationUrl: `${base}${paths.lifecycle}`, lifetimeMinutes, renewWithinMinutes: Math.floor(lifetimeMinutes / 2) };
}
