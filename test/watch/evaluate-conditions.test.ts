import test from 'ava';
import { withAlertsDefaults } from '../../src/config/alerts-job-defaults.ts';
import type { JobRunSummary } from '../../src/jobs/index.ts';
import { evaluateJobConditions } from '../../src/watch/evaluate-job-conditions.ts';
import { evaluateOtherConditions } from '../../src/watch/evaluate-other-conditions.ts';
import type { PushState } from '../../src/push/index.ts';
import type { WatchFacts } from '../../src/watch/index.ts';
import { testJob } from '../helpers/mail-world.ts';

const now = new Date('2026-11-20T09:00:00Z');
const day = 86_400_000;
const ago = (ms: number): Date => new Date(now.getTime() - ms);
const rules = (raw: Record<string, unknown> = {}) => withAlertsDefaults({ name: 'alerts', type: 'alerts', connection: 'c', ...raw }, 'schedules/x.json');

function run(status: JobRunSummary['status'], endedMsAgo: number, code = 'GRAPH_ACCESS_DENIED'): JobRunSummary {
  return {
    _id: `r${endedMsAgo}`, job: 'support', type: 'mail', worker: null, startedAt: ago(endedMsAgo + 1000), endedAt: ago(endedMsAgo), status,
    counts: {}, graph: { requests: 0, operations: 0 }, itemsOmitted: 0, notes: [],
    error: status === 'failed' ? { code, message: 'no', hint: 'fix it' } : null,
  };
}

function pushState(status: PushState['status']): PushState {
  return {
    _id: 'support', job: 'support', subscriptionId: 'sub-1', resource: '/users/x/messages', watch: 'support@contoso.example / Inbox', clientStateHash: null,
    expiresAt: new Date(now.getTime() + day), status, createdAt: now, renewedAt: now, lastNotificationAt: null, notifications: 0, refused: 0, missed: 0,
    wakeRequestedAt: null, runStartedAt: null, lastError: status === 'active' ? null : { code: 'GRAPH_ACCESS_DENIED', message: 'no', at: now }, failuresInRow: status === 'failing' ? 3 : 0,
  };
}

const failedHook = { target: 'crm', failed: 2, lastError: { code: 'WEBHOOK_DELIVERY_FAILED', message: 'crm answered 503' }, lastAttemptAt: now };
const facts = (over: Partial<WatchFacts>): WatchFacts => ({ now, jobs: [], credentials: [], delegated: [], quarantined: [], push: [], ...over });
const keys = (found: { key: string; severity: string }[]): string[] => found.map((c) => `${c.key} ${c.severity}`);

const jobTable: [string, JobRunSummary[], ReturnType<typeof rules>, string[]][] = [
  ['three failed runs in a row', [run('failed', 1), run('failed', 2), run('failed', 3)], rules(), ['job-failing:support critical']],
  ['aborted runs do not break or make a series', [run('failed', 1), run('aborted', 2), run('failed', 3), run('failed', 4)], rules(), ['job-failing:support critical']],
  ['a good run among the last three', [run('failed', 1), run('partial', 2), run('failed', 3)], rules(), []],
  ['failedRuns tuned to 2', [run('failed', 1), run('failed', 2), run('succeeded', 3)], rules({ rules: { jobFailing: { failedRuns: 2 } } }), ['job-failing:support critical']],
  ['switched off for this job', [run('failed', 1), run('failed', 2), run('failed', 3)], rules({ jobs: { support: { enabled: false } } }), []],
  ['no good run for more than a day', [run('succeeded', 25 * 3_600_000)], rules(), ['job-silent:support warning']],
  ['silence tuned per job', [run('succeeded', 3 * 3_600_000)], rules({ jobs: { support: { silentAfter: '2 hours' } } }), ['job-silent:support warning']],
  ['never ran: nothing to judge', [], rules(), []],
];

for (const [name, runs, r, expected] of jobTable) {
  test(`job conditions: ${name}`, (t) => {
    t.deepEqual(keys(evaluateJobConditions([{ job: testJob(), enabled: true, runs }], r, now)), expected);
  });
}

const credential = (daysLeft: number | null) => ({
  connection: 'main', kind: 'client secret' as const, source: 'secretExpiresAt' as const, problem: null,
  expiresAt: daysLeft === null ? null : new Date(now.getTime() + daysLeft * day + 1000),
});

const suppressed = (address: string) => ({
  _id: address, hardBounces: ['n1', 'n2', 'n3'], suppressedAt: ago(day), liftedAt: null, updatedAt: ago(day),
  lastBounce: { notificationId: 'n3', status: '5.1.10', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound', at: ago(day) },
});

test('a suppressed address\'s alert says why and how to lift it', (t) => {
  const [condition] = evaluateOtherConditions(facts({ suppressedRecipients: [suppressed('ann@fabrikam.example')] }), rules());
  t.regex(condition?.summary ?? '', /ann@fabrikam\.example are suppressed after 3 hard bounces \(last: 5\.1\.10 550 5\.1\.10 RESOLVER/);
  t.regex(condition?.hint ?? '', /mailroom notifications unsuppress ann@fabrikam\.example/);
});

const otherTable: [string, Partial<WatchFacts>, ReturnType<typeof rules>, string[]][] = [
  ['secret with 31 days left', { credentials: [credential(31)] }, rules(), []],
  ['secret within 30 days', { credentials: [credential(29)] }, rules(), ['credential-expiry:main warning']],
  ['secret within 7 days', { credentials: [credential(6)] }, rules(), ['credential-expiry:main critical']],
  ['secret expired', { credentials: [credential(-2)] }, rules(), ['credential-expiry:main critical']],
  ['expiry unknown', { credentials: [credential(null)] }, rules(), []],
  ['expiry rule switched off', { credentials: [credential(1)] }, rules({ rules: { credentialExpiry: { enabled: false } } }), []],
  ['a delegated job refused for its sign-in', { delegated: [{ connection: 'own', signedIn: true, cacheUpdatedAt: ago(day), latestRuns: [{ job: 'mine', status: 'failed', error: { code: 'AUTH_SIGN_IN_REQUIRED', message: 'no longer valid' } }] }] }, rules(), ['delegated-sign-in:own critical']],
  ['nobody signed in yet', { delegated: [{ connection: 'own', signedIn: false, cacheUpdatedAt: null, latestRuns: [] }] }, rules(), ['delegated-sign-in:own critical']],
  ['a sign-in unused for 80 days', { delegated: [{ connection: 'own', signedIn: true, cacheUpdatedAt: ago(80 * day), latestRuns: [] }] }, rules(), ['delegated-sign-in:own warning']],
  ['a fresh sign-in', { delegated: [{ connection: 'own', signedIn: true, cacheUpdatedAt: ago(day), latestRuns: [{ job: 'mine', status: 'succeeded', error: null }] }] }, rules(), []],
  ['quarantine at the threshold', { quarantined: [{ job: 'support', count: 5 }] }, rules(), ['quarantine-growing:support warning']],
  ['quarantine below a tuned threshold', { quarantined: [{ job: 'support', count: 5 }] }, rules({ rules: { quarantine: { threshold: 6 } } }), []],
  ['a push subscription whose renewal keeps failing', { push: [pushState('failing')] }, rules(), ['push-subscription:support warning']],
  ['a push subscription Graph removed: the next run re-creates it', { push: [pushState('removed')] }, rules(), []],
  ['one failed renewal is not yet an alert', { push: [{ ...pushState('failing'), failuresInRow: 1 }] }, rules(), []],
  ['a kept push subscription', { push: [pushState('active')] }, rules(), []],
  ['push not used', { push: [pushState('off')] }, rules(), []],
  ['push rule switched off', { push: [pushState('failing')] }, rules({ rules: { pushSubscriptions: { enabled: false } } }), []],
  ['an address suppressed after hard bounces needs a person', { suppressedRecipients: [suppressed('ann@fabrikam.example')] }, rules(), ['recipient-suppressed:ann@fabrikam.example warning']],
  ['suppressed-recipients rule switched off', { suppressedRecipients: [suppressed('ann@fabrikam.example')] }, rules({ rules: { suppressedRecipients: { enabled: false } } }), []],
  ['a webhook target gave up on events', { failedWebhooks: [failedHook] }, rules(), ['webhook-failing:crm warning']],
  ['no webhook delivery given up on', { failedWebhooks: [] }, rules(), []],
  ['webhook rule switched off', { failedWebhooks: [failedHook] }, rules({ rules: { webhookDeliveries: { enabled: false } } }), []],
];

for (const [name, over, r, expected] of otherTable) {
  test(`other conditions: ${name}`, (t) => {
    t.deepEqual(keys(evaluateOtherConditions(facts(over), r)), expected);
  });
}
