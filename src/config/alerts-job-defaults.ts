import type { AlertsJobConfig } from './job-config.ts';

type Raw = Record<string, unknown>;

function section<T extends object>(raw: unknown, defaults: T): T {
  return { ...defaults, ...((raw ?? {}) as Partial<T>) };
}

/** The alerts job with every default of alerts-job.schema.json applied (the schema has validated the shape). */
export function withAlertsDefaults(raw: Raw, file: string): AlertsJobConfig {
  const rules = (raw.rules ?? {}) as Raw;
  const jobs = (raw.jobs ?? {}) as Record<string, Raw>;
  return {
    ...(raw as unknown as AlertsJobConfig),
    file,
    enabled: (raw.enabled as boolean | undefined) ?? true,
    schedule: (raw.schedule as string | undefined) ?? '5 minutes',
    recipients: ((raw.recipients as string[] | undefined) ?? []).map((r) => r.toLowerCase()),
    repeatEvery: (raw.repeatEvery as string | null | undefined) ?? null,
    quietPeriod: (raw.quietPeriod as string | undefined) ?? '1 day',
    maxMailsPerHour: (raw.maxMailsPerHour as number | undefined) ?? 10,
    rules: {
      jobFailing: section(rules.jobFailing, { enabled: true, failedRuns: 3 }),
      jobSilent: section(rules.jobSilent, { enabled: true, after: '1 day' }),
      credentialExpiry: section(rules.credentialExpiry, { enabled: true, warnDays: 30, criticalDays: 7 }),
      delegatedSignIn: section(rules.delegatedSignIn, { enabled: true }),
      pushSubscriptions: section(rules.pushSubscriptions, { enabled: true }),
      quarantine: section(rules.quarantine, { enabled: true, threshold: 5, window: '1 day' }),
      suppressedRecipients: section(rules.suppressedRecipients, { enabled: true }),
      webhookDeliveries: section(rules.webhookDeliveries, { enabled: true }),
    },
    jobs: Object.fromEntries(Object.entries(jobs).map(([name, o]) => [name, { ...o, enabled: (o.enabled as boolean | undefined) ?? true }])),
  };
}
