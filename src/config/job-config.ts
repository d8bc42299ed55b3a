/** The shapes job.schema.json accepts, with defaults applied by loadConfig. */
export interface JobBase {
  name: string;
  type: string;
  connection: string;
  enabled: boolean;
  schedule: string;
  /** The file that defines the job, for messages. */
  file: string;
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
  since?: string;
  postActions: MailPostActions;
  limits: { messagesPerRun: number; attachmentMaxBytes: number; maxAttempts: number };
}

/** Sends what rules/notifications.json calls for, from `mailbox` through `connection` (the one place the sender is set). */
export interface NotificationsJobConfig extends JobBase {
  type: 'notifications';
  mailbox: string;
}

export type JobConfig = MailJobConfig | NotificationsJobConfig;
