import test from 'ava';
import { planAlertTransitions, type AlertCondition, type AlertRecord, type TransitionPolicy } from '../../src/watch/index.ts';

const hour = 3_600_000;
const t0 = new Date('2026-11-20T09:00:00Z');
const at = (hours: number): Date => new Date(t0.getTime() + hours * hour);
const policy: TransitionPolicy = { repeatEveryMs: null, quietPeriodMs: 24 * hour, mailing: true };

const condition = (severity: AlertCondition['severity'] = 'warning'): AlertCondition => ({
  key: 'job-failing:support', type: 'job-failing', severity, subject: 'support', summary: 'job support failed its last 3 runs', hint: 'look', details: {},
});

/** Runs the state machine over a timeline of evaluations (hour → condition present?) and lists the mails it decides. */
function timeline(steps: [number, AlertCondition | null][], p: TransitionPolicy = policy): string[] {
  let records = new Map<string, AlertRecord>();
  const mails: string[] = [];
  for (const [hours, present] of steps) {
    for (const transition of planAlertTransitions(records, present ? [present] : [], at(hours), p)) {
      for (const mail of transition.record.pending) mails.push(`${hours}h ${mail.kind} ${mail.eventId}`);
      records = new Map(records).set(transition.record._id, { ...transition.record, pending: [] });
    }
  }
  return mails;
}

const table: [string, [number, AlertCondition | null][], string[], TransitionPolicy?][] = [
  ['fires once while it lasts, recovers once', [[0, condition()], [1, condition()], [30, condition()], [31, null], [32, null]],
    ['0h fired alert:job-failing:support:1:fired', '31h recovered alert:job-failing:support:1:recovered']],
  ['a reminder once per repeatEvery when set', [[0, condition()], [5, condition()], [6, condition()], [11, condition()], [12, condition()]],
    ['0h fired alert:job-failing:support:1:fired', '6h reminder alert:job-failing:support:1:reminder-1', '12h reminder alert:job-failing:support:1:reminder-2'],
    { ...policy, repeatEveryMs: 6 * hour }],
  ['turning critical mails once more', [[0, condition('warning')], [1, condition('critical')], [2, condition('critical')], [3, condition('warning')]],
    ['0h fired alert:job-failing:support:1:fired', '1h escalated alert:job-failing:support:1:escalated']],
  ['flapping within the quiet period stays quiet, its recovery too', [[0, condition()], [1, null], [2, condition()], [3, null], [4, condition()]],
    ['0h fired alert:job-failing:support:1:fired', '1h recovered alert:job-failing:support:1:recovered']],
  ['back after the quiet period is a new episode with a mail of its own', [[0, condition()], [1, null], [30, condition()]],
    ['0h fired alert:job-failing:support:1:fired', '1h recovered alert:job-failing:support:1:recovered', '30h fired alert:job-failing:support:2:fired'],
    { ...policy, quietPeriodMs: 24 * hour }],
  ['nobody to mail: states change, no mail', [[0, condition()], [1, null]], [], { ...policy, mailing: false }],
];

for (const [name, steps, expected, p] of table) {
  test(`alert transitions: ${name}`, (t) => {
    t.deepEqual(timeline(steps, p), expected);
  });
}
