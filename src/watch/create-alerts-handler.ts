import { parseDuration, type Clock } from '../core/index.ts';
import type { AlertsJobConfig } from '../config/job-config.ts';
import type { MailroomConfig } from '../config/load-config.ts';
import type { JobHandler, JobResults } from '../jobs/index.ts';
import { createOutbox } from '../notify/index.ts';
import type { Store } from '../store/index.ts';
import { createAlertStore } from './alert-store.ts';
import { findAlertConditions } from './find-alert-conditions.ts';
import { planAlertTransitions, type AlertTransition } from './plan-alert-transitions.ts';
import { queueAlertMail } from './queue-alert-mails.ts';

export interface AlertsHandlerDeps {
  store: Store;
  config: MailroomConfig;
  results: JobResults;
  clock: Clock;
}

function logLine(t: AlertTransition): { level: 'warn' | 'info'; text: string } | null {
  const r = t.record;
  switch (t.kind) {
    case 'fired': return { level: 'warn', text: `alert ${r.severity}: ${r.summary}` };
    case 'escalated': return { level: 'warn', text: `alert now critical: ${r.summary}` };
    case 'reminder': return { level: 'warn', text: `alert still active: ${r.summary}` };
    case 'quiet': return { level: 'warn', text: `alert ${r.severity} (back within the quiet period, not mailed again): ${r.summary}` };
    case 'recovered': return { level: 'info', text: `alert recovered: ${r.summary}` };
    case 'seen': return null;
  }
}

/**
 * One run of the alerts job: find the conditions that hold, move each alert's state (fired, escalated, reminder,
 * recovered), and queue the mails those transitions call for into the notifications outbox. A transition and its
 * mails are stored in one write before anything is queued, and records whose mails are still pending are queued
 * again on every run, so a run killed anywhere neither loses nor doubles a mail.
 */
export function createAlertsHandler(deps: AlertsHandlerDeps): JobHandler<AlertsJobConfig> {
  return async (job, ctx) => {
    const now = deps.clock();
    const alerts = createAlertStore(deps.store);
    const { conditions } = await findAlertConditions({ config: deps.config, store: deps.store, results: deps.results, now, rules: job });
    const records = new Map((await alerts.list()).map((r) => [r._id, r]));
    const policy = { repeatEveryMs: job.repeatEvery === null ? null : parseDuration(job.repeatEvery), quietPeriodMs: parseDuration(job.quietPeriod), mailing: job.recipients.length > 0 };
    for (const transition of planAlertTransitions(records, conditions, now, policy)) {
      if (!(await alerts.save(transition))) continue;
      records.set(transition.record._id, transition.record);
      const line = logLine(transition);
      if (line === null) continue;
      ctx.logger[line.level](line.text, { alert: transition.record._id, kind: transition.kind, severity: transition.record.severity });
      ctx.run.count(transition.kind);
      ctx.run.addItem({ key: `${transition.record._id}#${transition.record.episode}`, outcome: transition.kind, target: transition.record.subject, summary: transition.record.summary });
    }

    const sender = deps.config.jobs.find((j) => j.type === 'notifications' && j.enabled);
    if (!sender && job.recipients.length > 0) ctx.run.note('no enabled notifications job: alert mail waits in the outbox until one sends it');
    const target = {
      outbox: createOutbox(deps.store, deps.clock), recipients: job.recipients, maxMailsPerHour: job.maxMailsPerHour, now,
      senderMailbox: sender && 'mailbox' in sender ? sender.mailbox : 'alerts@mailroom.invalid',
      ownMailboxes: new Set(deps.config.jobs.flatMap((j) => (j.type === 'mail' || j.type === 'notifications' ? [j.mailbox.toLowerCase()] : []))),
    };
    for (const own of job.recipients.filter((r) => target.ownMailboxes.has(r))) ctx.run.note(`recipient ${own} is a mailbox Mailroom reads or sends from: alert mail to it is suppressed`);
    for (const record of records.values()) {
      if (record.pending.length === 0) continue;
      for (const mail of record.pending) ctx.run.count('queued', await queueAlertMail(target, record, mail));
      await alerts.clearPending(record._id, record.updatedAt);
    }
    ctx.run.count('active', [...records.values()].filter((r) => r.status === 'active').length);
  };
}
