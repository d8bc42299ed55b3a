import type { AlertCondition, AlertMailKind, AlertRecord, AlertSeverity } from './alert-types.ts';
import { composeAlertMail } from './compose-alert-mail.ts';

export interface TransitionPolicy {
  /** An active, mailed condition is mailed again after this long; null: never. */
  repeatEveryMs: number | null;
  /** A condition back within this time of its last mail is not mailed (flapping). */
  quietPeriodMs: number;
  /** False when there is nobody to mail: states still change, nothing is queued. */
  mailing: boolean;
}

export interface AlertTransition {
  kind: AlertMailKind | 'quiet' | 'seen';
  /** The record to store (its `pending` holds the mail to queue, if any). */
  record: AlertRecord;
  /** The record as it was, for a compare-and-set write; null for a new one. */
  previous: AlertRecord | null;
}

const rank: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

function withMail(record: AlertRecord, kind: AlertMailKind, now: Date, policy: TransitionPolicy): AlertRecord {
  if (!policy.mailing) return record;
  const mailed = kind === 'recovered' ? record.mailedSeverity : record.severity;
  return { ...record, mailedSeverity: mailed, lastMailedAt: kind === 'recovered' ? record.lastMailedAt : now, pending: [...record.pending, composeAlertMail(record, kind, now)] };
}

function start(previous: AlertRecord | null, condition: AlertCondition, now: Date, policy: TransitionPolicy): AlertTransition {
  const record: AlertRecord = {
    _id: condition.key, type: condition.type, subject: condition.subject, severity: condition.severity, summary: condition.summary,
    hint: condition.hint, details: condition.details, status: 'active', episode: (previous?.episode ?? 0) + 1, since: now, lastSeenAt: now,
    resolvedAt: null, mailedSeverity: null, lastMailedAt: previous?.lastMailedAt ?? null, reminders: 0, pending: previous?.pending ?? [], updatedAt: now,
  };
  // Back within the quiet period of the last mail about it: a flapping condition is shown and logged, not mailed.
  const flapping = record.lastMailedAt !== null && now.getTime() - record.lastMailedAt.getTime() < policy.quietPeriodMs;
  if (flapping) return { kind: 'quiet', record, previous };
  return { kind: 'fired', record: withMail(record, 'fired', now, policy), previous };
}

function continueActive(previous: AlertRecord, condition: AlertCondition, now: Date, policy: TransitionPolicy): AlertTransition {
  const record: AlertRecord = { ...previous, severity: condition.severity, summary: condition.summary, hint: condition.hint, details: condition.details, lastSeenAt: now, updatedAt: now };
  if (rank[condition.severity] > rank[previous.severity]) return { kind: 'escalated', record: withMail(record, 'escalated', now, policy), previous };
  const due = policy.repeatEveryMs !== null && previous.mailedSeverity !== null && previous.lastMailedAt !== null
    && now.getTime() - previous.lastMailedAt.getTime() >= policy.repeatEveryMs;
  if (due) return { kind: 'reminder', record: withMail({ ...record, reminders: previous.reminders + 1 }, 'reminder', now, policy), previous };
  return { kind: 'seen', record, previous };
}

/**
 * The state machine of every alert: a condition that starts is mailed once ("fired"), once more when it turns
 * critical, again after `repeatEvery` while it lasts (if set), and once when it clears ("recovered") — the last only
 * when its start was mailed. Returns only records that change. Pure: the caller stores and queues.
 */
export function planAlertTransitions(records: ReadonlyMap<string, AlertRecord>, conditions: readonly AlertCondition[], now: Date, policy: TransitionPolicy): AlertTransition[] {
  const out: AlertTransition[] = [];
  const present = new Set<string>();
  for (const condition of conditions) {
    if (present.has(condition.key)) continue;
    present.add(condition.key);
    const previous = records.get(condition.key) ?? null;
    out.push(previous?.status === 'active' ? continueActive(previous, condition, now, policy) : start(previous, condition, now, policy));
  }
  for (const previous of records.values()) {
    if (previous.status !== 'active' || present.has(previous._id)) continue;
    const record: AlertRecord = { ...previous, status: 'resolved', resolvedAt: now, updatedAt: now };
    out.push({ kind: 'recovered', record: previous.mailedSeverity === null ? record : withMail(record, 'recovered', now, policy), previous });
  }
  return out;
}
