import type { MailroomConfig } from '../../config/load-config.ts';

const day = 86_400_000;

/** Connections as the overview lists them: the credential kind and how soon it expires (warnings at 30 and 7 days). */
export function describeConnections(config: MailroomConfig, now: Date): Record<string, unknown>[] {
  return config.connections.map((c) => {
    const expiresAt = c.secretExpiresAt ? new Date(c.secretExpiresAt) : null;
    const days = expiresAt ? Math.floor((expiresAt.getTime() - now.getTime()) / day) : null;
    const expiry = days === null ? null : days < 0 ? 'expired' : days <= 7 ? 'failed' : days <= 30 ? 'warning' : 'ok';
    const expiryText = days === null ? '' : days < 0 ? 'expired' : days === 0 ? 'expires today' : `${days} day${days === 1 ? '' : 's'} left`;
    return {
      name: c.name, tenantId: c.tenantId,
      credential: 'certificate' in c.credential ? 'certificate' : 'clientSecret' in c.credential ? 'client secret' : 'delegated sign-in',
      expiresAt, expiry, expiryText,
      jobs: config.jobs.filter((j) => j.connection === c.name).map((j) => j.name).join(', '),
    };
  });
}
