import test from 'ava';
import { withAlertsDefaults } from '../../src/config/alerts-job-defaults.ts';
import type { JobRunSummary } from '../../src/jobs/index.ts';
import { evaluateJobConditions } from '../../src/watch/evaluate-job-conditions.ts';
import { evaluateOtherConditions } from '../../src/watch/evaluate-other-conditions.ts';
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

const facts = (over: Partial<WatchFacts>): WatchFacts => ({ now, jobs: [], credentials: [], delegated: [], quarantined: [], signals: [], ...over });
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
  ['a push subscription that cannot be kept', {
    signals: [{ _id: 'push-subscription:s1', type: 'push-subscription', subject: 's1', active: true, severity: 'warning', summary: 'lost', hint: 'h', details: {}, expiresAt: null, reportedAt: now }],
  }, rules(), ['push-subscription:s1 warning']],
  ['a kept push subscription', {
    signals: [{ _id: 'push-subscription:s1', type: 'push-subscription', subject: 's1', active: false, severity: 'warning', summary: 'kept', hint: 'h', details: {}, expiresAt: now, reportedAt: now }],
  }, rules(), []],
];

for (const [name, over, r, expected] of otherTable) {
  test(`other conditions: ${name}`, (t) => {
    t.deepEqual(keys(evaluateOtherConditions(facts(over), r)), expected);
  });
}
