/**
 * What Mailroom keeps of one job's Graph subscription. The clientState itself is never stored: only its SHA-256,
 * which is enough to check a notification and useless to anyone who reads the database.
 */
export type PushStatus = 'active' | 'failing' | 'removed' | 'reauthorize' | 'off';

export interface PushState {
  /** `job` for a mail job; `job|mailbox` for a calendar job's users: one subscription each. */
  _id: string;
  job: string;
  subscriptionId: string | null;
  resource: string | null;
  /** What the job watched when the subscription was made (mailbox and folder path). */
  watch: string | null;
  clientStateHash: string | null;
  expiresAt: Date | null;
  status: PushStatus;
  createdAt: Date | null;
  renewedAt: Date | null;
  lastNotificationAt: Date | null;
  notifications: number;
  /** Notifications refused: unknown subscription or a clientState that does not match. */
  refused: number;
  /** `missed` lifecycle events: Graph could not deliver some notifications. */
  missed: number;
  /** Set when a notification asks for a run; a run that started before it is followed by another. */
  wakeRequestedAt: Date | null;
  /** When the job's latest run began its delta round (a wake after it needs another run). */
  runStartedAt: Date | null;
  lastError: { code: string; message: string; at: Date } | null;
  /** Upkeep failures in a row (create or renew); alerts read it. */
  failuresInRow: number;
}

/** The part of a job's push state that people see (jobs list, API, console): no hashes. */
export type PushSummary = Pick<PushState, 'job' | 'subscriptionId' | 'expiresAt' | 'status' | 'lastNotificationAt' | 'notifications' | 'refused' | 'missed' | 'lastError' | 'failuresInRow'>;

export function summarizePush(state: PushState): PushSummary {
  const { job, subscriptionId, expiresAt, status, lastNotificationAt, notifications, refused, missed, lastError, failuresInRow } = state;
  return { job, subscriptionId, expiresAt, status, lastNotificationAt, notifications, refused, missed, lastError, failuresInRow };
}

export function emptyPushState(key: string, job: string): PushState {
  return {
    _id: key, job, subscriptionId: null, resource: null, watch: null, clientStateHash: null, expiresAt: null, status: 'off', createdAt: null, renewedAt: null,
    lastNotificationAt: null, notifications: 0, refused: 0, missed: 0, wakeRequestedAt: null, runStartedAt: null, lastError: null, failuresInRow: 0,
  };
}
