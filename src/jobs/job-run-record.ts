/** What one run of any job stored for review (`mailroom jobs results`, `jobs show`). */
/** interrupted: its process died mid-run (stored so once the run's lock lapsed). */
export type JobRunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'aborted' | 'interrupted';

export interface JobRunItem {
  /** Stable key of what the line is about (message key, event id…). */
  key: string;
  /** succeeded | ignored | failed | quarantined | skipped, or a lane-specific outcome. */
  outcome: string;
  subject?: string;
  sender?: string;
  rule?: string | null;
  action?: string;
  /** Ticket number, object id, event id… whatever the item produced or touched. */
  target?: string;
  error?: { code: string; message: string };
  [field: string]: unknown;
}

export interface JobRunRecord {
  _id: string;
  job: string;
  type: string;
  worker: string | null;
  startedAt: Date;
  endedAt: Date | null;
  status: JobRunStatus;
  counts: Record<string, number>;
  graph: { requests: number; operations: number };
  items: JobRunItem[];
  /** Items beyond the stored cap are counted, not listed, so one huge run cannot outgrow a document. */
  itemsOmitted: number;
  error: { code: string; message: string; hint?: string } | null;
  /** A lane's extra facts (delta resync happened, conflicts…). */
  notes: string[];
}

/** A run without its item lines, as listings show it. */
export type JobRunSummary = Omit<JobRunRecord, 'items'>;
