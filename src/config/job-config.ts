/** The shapes job.schema.json accepts, with defaults applied by loadConfig. */
export interface JobBase {
  name: string;
  type: string;
  connection: string;
  enabled: boolean;
  schedule: string;
  /** The file that defines the job, for messages. */
  file: string;
  /** Graph change notifications wake the job (mail, calendar-read, room-sync); default on with an https publicBaseUrl. */
  push?: boolean;
  /** How often a job with working push still polls; default "15 minutes". */
  pollWhenPushHealthy?: string;
}

export interface MailPostActions {
  markRead: boolean;
  moveTo?: string;
  moveFailedTo?: string;
  flag: boolean;
  categories: string[];
}

export interface MailJobConfig extends JobBase {
  type: 'mail';
  mailbox: string;
  folder: string;
  rules: string;
  /** The mail already in the folder at the first run: import it as backlog (never acknowledged) or skip it. Absent = import. */
  backlog?: 'import' | 'skip';
  /** With backlog import: the oldest mail imported ("7 days" before the first run, a date, or "all"). Absent = "7 days". */
  since?: string;
  postActions: MailPostActions;
  limits: { messagesPerRun: number; attachmentMaxBytes: number; maxAttempts: number; messageMaxBytes?: number };
}

/** Sends what rules/notifications.json calls for, from `mailbox` through `connection` (the one place the sender is set). */
export interface NotificationsJobConfig extends JobBase {
  type: 'notifications';
  mailbox: string;
}

/** A person whose calendar a publish job writes. */
export interface CalendarResourceConfig {
  mailbox: string;
  /** false: the job skips this resource (no reads, no writes). */
  active: boolean;
}

/** Planned work (appointments, unavailabilities, working days) → each resource's Outlook calendar, one way. */
export interface CalendarPublishJobConfig extends JobBase {
  type: 'calendar-publish';
  /** IANA zone for created events. */
  timeZone: string;
  /** Items and events that ended more than this many days ago are left alone. */
  daysBack: number;
  lookupPrincipalName: boolean;
  /** null: every resource in the plan and every one published to before. */
  resources: CalendarResourceConfig[] | null;
}

/** Users' Outlook calendars → calendar_events, through calendarView delta. */
export interface CalendarReadJobConfig extends JobBase {
  type: 'calendar-read';
  users: string[];
  daysBack: number;
  daysAhead: number;
  lookupPrincipalName: boolean;
}

/** Rooms (Places API) → rooms; reservations both ways. */
export interface RoomSyncJobConfig extends JobBase {
  type: 'room-sync';
  roomList?: string;
  rooms?: string[];
  timeZone: string;
  daysBack: number;
  daysAhead: number;
  /** Update and cancel reservations a user organizes through the organizer's own calendar. Absent = false. */
  enableUserCalendarDelegation?: boolean;
  /** Never read a user's calendar; fields only the organizer's copy has are placeholders. Absent = false. */
  userCalendarStrictMode?: boolean;
  /** Create new reservations that have an organizer in the organizer's calendar, the room as resource attendee. Absent = false. */
  createUserCalendarReservations?: boolean;
}

export type CalendarJobConfig = CalendarPublishJobConfig | CalendarReadJobConfig | RoomSyncJobConfig;

export type JobConfig = MailJobConfig | NotificationsJobConfig | CalendarJobConfig | AlertsJobConfig;

/** Per watched job: alerts about it switched off or tuned. */
export interface AlertsJobOverride {
  enabled: boolean;
  failedRuns?: number;
  silentAfter?: string;
}

/** Watches jobs, credentials, sign-ins, push subscriptions and the quarantine; mails administrators through the outbox. */
export interface AlertsJobConfig extends JobBase {
  type: 'alerts';
  recipients: string[];
  /** A duration ("1 day"): an active condition is mailed again this long after its last mail; null: never. */
  repeatEvery: string | null;
  /** A condition back within this time of its last mail is not mailed again (flapping). */
  quietPeriod: string;
  maxMailsPerHour: number;
  rules: {
    jobFailing: { enabled: boolean; failedRuns: number };
    jobSilent: { enabled: boolean; after: string };
    credentialExpiry: { enabled: boolean; warnDays: number; criticalDays: number };
    delegatedSignIn: { enabled: boolean };
    pushSubscriptions: { enabled: boolean };
    quarantine: { enabled: boolean; threshold: number; window: string };
    /** An address not mailed any more after repeated hard bounces (src/notify): a person must correct or lift it. */
    suppressedRecipients: { enabled: boolean };
    /** A webhook target that did not accept events in all their attempts (src/notify/webhooks): a person must fix it and redeliver. */
    webhookDeliveries: { enabled: boolean };
  };
  jobs: Record<string, AlertsJobOverride>;
}
