import type { SuppressedAddress } from '../notify/index.ts';
import type { PushState } from '../push/index.ts';
import type { AlertCondition } from './alert-types.ts';
import type { CredentialExpiry } from './read-credential-expiry.ts';
import type { AlertRules, WatchFacts } from './watch-facts.ts';

const dayMs = 86_400_000;
/** Entra refresh tokens lapse after 90 days unused: https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens#token-lifetime */
const refreshTokenLifetimeDays = 90;
const refreshWarnDays = 14;
const signInCodes = new Set(['AUTH_SIGN_IN_REQUIRED', 'AUTH_TOKEN_CACHE_UNREADABLE']);

function credentialCondition(c: CredentialExpiry, rules: AlertRules['rules']['credentialExpiry'], now: Date): AlertCondition | null {
  const base = { key: `credential-expiry:${c.connection}`, type: 'credential-expiry' as const, subject: c.connection };
  if (c.problem !== null) {
    return { ...base, severity: 'warning', summary: `connection ${c.connection}: ${c.problem}`, hint: 'Point certificateFile at the PEM certificate uploaded to the app registration, so its expiry can be watched.', details: { kind: c.kind, source: c.source } };
  }
  if (c.expiresAt === null) return null;
  const days = Math.floor((c.expiresAt.getTime() - now.getTime()) / dayMs);
  if (days >= rules.warnDays) return null;
  const date = c.expiresAt.toISOString().slice(0, 10);
  const when = days < 0 ? `expired on ${date}` : `expires on ${date}, in ${days} day${days === 1 ? '' : 's'}`;
  return {
    ...base,
    severity: days < rules.criticalDays ? 'critical' : 'warning',
    summary: `the ${c.kind} of connection ${c.connection} ${when}`,
    hint: `Create a new ${c.kind} under App registrations > Certificates & secrets, store it where the connection reads it${c.source === 'secretExpiresAt' ? ' and update secretExpiresAt' : ''}.`,
    details: { kind: c.kind, expiresAt: c.expiresAt, daysLeft: days, source: c.source },
  };
}

function signInConditions(facts: WatchFacts['delegated'], now: Date): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const d of facts) {
    const base = { key: `delegated-sign-in:${d.connection}`, type: 'delegated-sign-in' as const, subject: d.connection, hint: `Run \`mailroom connection sign-in ${d.connection}\` and sign in with the mailbox owner's account.` };
    const refused = d.latestRuns.find((r) => r.error !== null && signInCodes.has(r.error.code));
    if (refused) {
      out.push({ ...base, severity: 'critical', summary: `the delegated sign-in of connection ${d.connection} needs renewing: job ${refused.job} ended with ${refused.error!.code}`, details: { job: refused.job, error: refused.error } });
    } else if (!d.signedIn) {
      out.push({ ...base, severity: 'critical', summary: `nobody has signed in for delegated connection ${d.connection}`, details: {} });
    } else if (d.cacheUpdatedAt !== null) {
      const idleDays = Math.floor((now.getTime() - d.cacheUpdatedAt.getTime()) / dayMs);
      if (idleDays >= refreshTokenLifetimeDays - refreshWarnDays) {
        out.push({ ...base, severity: 'warning', summary: `the delegated sign-in of connection ${d.connection} has not been refreshed for ${idleDays} days and lapses after ${refreshTokenLifetimeDays}`, details: { cacheUpdatedAt: d.cacheUpdatedAt } });
      }
    }
  }
  return out;
}

/**
 * Upkeep failed this many times in a row (creation or renewal, one try per run): the subscription cannot be kept.
 * A removed or reauthorize-pending one is not yet an alert: the job's next run re-creates or reauthorizes it.
 */
const pushFailuresForAlert = 2;

function pushCondition(p: PushState): AlertCondition | null {
  if (p.status !== 'failing' || p.failuresInRow < pushFailuresForAlert) return null;
  const what = p.watch ?? p.resource ?? p._id;
  const error = p.lastError ? ` (${p.lastError.code}: ${p.lastError.message})` : '';
  return {
    key: `push-subscription:${p._id}`, type: 'push-subscription', severity: 'warning', subject: p._id,
    summary: `the push subscription of job ${p.job} for ${what} cannot be kept: ${p.failuresInRow} failures in a row${error}`,
    hint: `Until it is back, job ${p.job} only sees changes on its schedule. Check http.publicBaseUrl (Graph must reach it over https) and the application's permissions; the job's next runs try again.`,
    details: { job: p.job, status: p.status, subscriptionId: p.subscriptionId, failuresInRow: p.failuresInRow, lastError: p.lastError },
  };
}

function suppressedCondition(s: SuppressedAddress): AlertCondition {
  const last = s.lastBounce ? [s.lastBounce.status, s.lastBounce.diagnostic].filter(Boolean).join(' ') : '';
  return {
    key: `recipient-suppressed:${s._id}`, type: 'recipient-suppressed', severity: 'warning', subject: s._id,
    summary: `notifications to ${s._id} are suppressed after ${s.hardBounces.length} hard bounces${last ? ` (last: ${last})` : ''}`,
    hint: `Its tickets' requester gets no mail. Correct the address on the ticket or with the requester, then \`mailroom notifications unsuppress ${s._id}\`; the bounces are internal notes on the tickets.`,
    details: { address: s._id, hardBounces: s.hardBounces.length, suppressedAt: s.suppressedAt, lastBounce: s.lastBounce },
  };
}

function webhookCondition(w: NonNullable<WatchFacts['failedWebhooks']>[number]): AlertCondition {
  const last = w.lastError ? ` (last: ${w.lastError.message})` : '';
  return {
    key: `webhook-failing:${w.target}`, type: 'webhook-failing', severity: 'warning', subject: w.target,
    summary: `webhook target ${w.target} did not accept ${w.failed} event${w.failed === 1 ? '' : 's'} in all their attempts${last}`,
    hint: `The system behind it missed them. Fix the target (its URL, secret or availability), then \`mailroom notifications redeliver ${w.target}\` queues them again for the notifications job.`,
    details: { target: w.target, failed: w.failed, lastError: w.lastError, lastAttemptAt: w.lastAttemptAt },
  };
}

/** Credentials, delegated sign-ins, reported push subscriptions, the quarantine, suppressed recipients and webhook targets. Pure. */
export function evaluateOtherConditions(facts: WatchFacts, rules: AlertRules): AlertCondition[] {
  const r = rules.rules;
  const out: AlertCondition[] = [];
  if (r.credentialExpiry.enabled) {
    for (const c of facts.credentials) {
      const found = credentialCondition(c, r.credentialExpiry, facts.now);
      if (found) out.push(found);
    }
  }
  if (r.delegatedSignIn.enabled) out.push(...signInConditions(facts.delegated, facts.now));
  if (r.pushSubscriptions.enabled) {
    for (const p of facts.push) {
      const found = pushCondition(p);
      if (found) out.push(found);
    }
  }
  if (r.quarantine.enabled) {
    for (const q of facts.quarantined) {
      if (q.count < r.quarantine.threshold || rules.jobs[q.job]?.enabled === false) continue;
      out.push({
        key: `quarantine-growing:${q.job}`, type: 'quarantine-growing', severity: 'warning', subject: q.job,
        summary: `job ${q.job} quarantined ${q.count} mail${q.count === 1 ? '' : 's'} within ${r.quarantine.window}`,
        hint: `See the quarantined mail with \`mailroom jobs results ${q.job}\`; they stay in the mailbox folder for failed mail.`,
        details: { job: q.job, count: q.count, window: r.quarantine.window },
      });
    }
  }
  if (r.suppressedRecipients.enabled) out.push(...(facts.suppressedRecipients ?? []).map(suppressedCondition));
  if (r.webhookDeliveries.enabled) out.push(...(facts.failedWebhooks ?? []).map(webhookCondition));
  return out;
}
