import type { AlertMailKind, AlertRecord, PendingAlertMail } from './alert-types.ts';

const titles: Record<AlertMailKind, (r: AlertRecord) => string> = {
  fired: (r) => (r.severity === 'critical' ? 'Critical' : 'Warning'),
  escalated: () => 'Critical now',
  reminder: (r) => `Still ${r.severity === 'critical' ? 'critical' : 'a problem'}`,
  recovered: () => 'Recovered',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The mail for one transition of one alert: plain text and a small HTML rendering of the same lines. Pure. */
export function composeAlertMail(record: AlertRecord, kind: AlertMailKind, now: Date): PendingAlertMail {
  const suffix = kind === 'reminder' ? `-${record.reminders}` : '';
  const lines = kind === 'recovered'
    ? [`Cleared at ${now.toISOString()}: ${record.summary}`, `It had been active since ${record.since.toISOString()}.`]
    : [record.summary, '', `What to do: ${record.hint}`, '', `Active since ${record.since.toISOString()} (alert ${record._id}).`];
  lines.push('', 'Sent by the Mailroom alerts job; change or switch off its rules in schedules/.');
  return {
    eventId: `alert:${record._id}:${record.episode}:${kind}${suffix}`,
    kind,
    subject: `[Mailroom] ${titles[kind](record)}: ${record.summary}`,
    text: lines.join('\n'),
    html: `<div>${lines.map((l) => (l === '' ? '<br>' : `<p>${escapeHtml(l)}</p>`)).join('')}</div>`,
  };
}
