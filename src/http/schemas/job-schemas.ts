import type { JobRunItem, JobRunSummary } from '../../jobs/index.ts';
import type { JobDescription } from '../../scheduler/index.ts';
import type { JobBacklogDescription } from '../describe-job-backlog.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const counts = { type: 'object', additionalProperties: { type: 'integer' }, description: 'Outcome → number of items (created, updated, ignored, failed, quarantined, …).' } as const;
const runError = { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } } } as const;

export const jobStateSchema = {
  $id: 'Job',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'target', 'schedule', 'enabled', 'override', 'running', 'lastRun', 'nextRunAt', 'failuresInRow', 'push', 'backlog'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    target: { type: 'string', description: 'What the job works on: mailbox and folder, calendars, a room list.' },
    schedule: { type: 'string' },
    enabled: { type: 'boolean' },
    override: { enum: ['enabled', 'disabled', null], description: 'Set when enable/disable overrides the schedule file.' },
    running: { type: 'boolean', description: 'A worker runs it now.' },
    lastRun: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['id', 'status', 'startedAt', 'endedAt', 'counts'],
      properties: { id: { type: 'string' }, status: { enum: ['running', 'succeeded', 'partial', 'failed', 'aborted', 'interrupted'] }, startedAt: dateTime, endedAt: nullableDateTime, counts },
    },
    nextRunAt: nullableDateTime,
    failuresInRow: { type: 'integer', description: 'Failed (or aborted) runs since the last one that was not.' },
    push: {
      type: ['object', 'null'],
      description: 'Graph change notifications of the job (null: it polls only). A calendar job has one subscription per watched mailbox; the least healthy is shown.',
      additionalProperties: false,
      required: ['status', 'subscriptions', 'subscriptionId', 'expiresAt', 'lastNotificationAt', 'notifications', 'missed', 'refused', 'lastError'],
      properties: {
        status: { enum: ['active', 'failing', 'removed', 'reauthorize', 'off'] }, subscriptions: { type: 'integer' }, subscriptionId: { type: ['string', 'null'] },
        expiresAt: nullableDateTime, lastNotificationAt: nullableDateTime, notifications: { type: 'integer' },
        missed: { type: 'integer', description: 'Lifecycle events "missed": Graph could not deliver some notifications (a delta run caught up).' },
        refused: { type: 'integer', description: 'Notifications refused: wrong clientState.' },
        lastError: { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    backlog: {
      type: ['object', 'null'],
      description: 'A mail job\'s first connection to its folder (null for other jobs): the backlog setting and when it connected.',
      additionalProperties: false,
      required: ['backlog', 'since', 'state', 'firstConnectedAt', 'skipsBefore'],
      properties: {
        backlog: { enum: ['import', 'skip'] },
        since: { type: ['string', 'null'], description: 'As configured (or the default "7 days"); null with skip.' },
        state: { enum: ['not-connected', 'connected', 'before-backlog'], description: 'before-backlog: the job ran before the setting existed, none of its mail is backlog.' },
        firstConnectedAt: { ...nullableDateTime, description: 'When the job first read its folder; kept across resyncs.' },
        skipsBefore: { ...nullableDateTime, description: 'Mail received before this is left in the mailbox; null: none.' },
      },
    },
  },
} as const;

export const jobRunSchema = {
  $id: 'JobRun',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'job', 'type', 'worker', 'status', 'startedAt', 'endedAt', 'counts', 'graph', 'itemsOmitted', 'error', 'notes'],
  properties: {
    id: { type: 'string' },
    job: { type: 'string' },
    type: { type: 'string' },
    worker: { type: ['string', 'null'] },
    status: { enum: ['running', 'succeeded', 'partial', 'failed', 'aborted'] },
    startedAt: dateTime,
    endedAt: nullableDateTime,
    counts,
    graph: { type: 'object', additionalProperties: false, required: ['requests', 'operations'], properties: { requests: { type: 'integer' }, operations: { type: 'integer' } } },
    itemsOmitted: { type: 'integer', description: 'Lines over the stored cap: counted, not listed.' },
    error: runError,
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const jobRunItemSchema = {
  $id: 'JobRunItem',
  type: 'object',
  additionalProperties: true,
  required: ['key', 'outcome'],
  description: 'One line of a run: a message (or event, notification…) and what became of it. Lanes add fields of their own.',
  properties: {
    key: { type: 'string' },
    outcome: { type: 'string' },
    subject: { type: 'string' },
    sender: { type: 'string' },
    rule: { type: ['string', 'null'] },
    action: { type: 'string' },
    target: { type: 'string', description: 'What the item produced or touched: a ticket number (#1042), an object key…' },
    mails: { type: 'integer', description: 'A line that stands for several mails (outcome skipped: backlog left in the mailbox on the first connection, one line per delta page): how many.' },
    error: { type: 'object', additionalProperties: true, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export const jobNameParams = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

/** Only the fields the schema promises: describeJobs may grow fields before the schema does. */
export function jobStateJson(job: JobDescription, backlogs: ReadonlyMap<string, JobBacklogDescription>): Record<string, unknown> {
  const { name, type, target, schedule, enabled, override, running, lastRun, nextRunAt, failuresInRow, push } = job;
  return { name, type, target, schedule, enabled, override, running, lastRun, nextRunAt, failuresInRow, push, backlog: backlogs.get(name) ?? null };
}

export function jobRunJson(run: JobRunSummary): Record<string, unknown> {
  return {
    id: run._id, job: run.job, type: run.type, worker: run.worker, status: run.status, startedAt: run.startedAt, endedAt: run.endedAt,
    counts: run.counts, graph: run.graph, itemsOmitted: run.itemsOmitted, error: run.error, notes: run.notes,
  };
}

export function jobRunItemJson(item: JobRunItem): Record<string, unknown> {
  return { ...item };
}

export const jobSharedSchemas = [jobStateSchema, jobRunSchema, jobRunItemSchema];
