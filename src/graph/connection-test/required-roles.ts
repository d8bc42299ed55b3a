/** A job as the connection test sees it: what it is, where it works, and whether it sends mail. */
export interface ConnectionJob {
  name: string;
  type: string;
  connection: string;
  enabled: boolean;
  mailbox?: string;
  folder?: string;
  /** Mail jobs: the folders their post-actions move mail to, checked by `connection test`. */
  postActions?: { moveTo?: string; moveFailedTo?: string };
  /** Mail jobs: the rule set (rules/<name>.json), whose rules may move mail too (other job types use the name otherwise). */
  rules?: unknown;
  /** Set when the job sends mail itself, which needs Mail.Send. */
  sendsMail?: boolean;
  /** Calendar jobs may resolve users by mail address themselves, which needs User.Read.All. */
  lookupPrincipalName?: boolean;
}

/** One need: any of `anyOf` satisfies it; `role` is what to grant when none is there. */
export interface RoleNeed {
  role: string;
  anyOf: readonly string[];
  job: string;
  jobType: string;
}

// A broader permission satisfies a narrower one: https://learn.microsoft.com/en-us/graph/permissions-reference
const satisfiedBy: Record<string, readonly string[]> = {
  'Mail.ReadWrite': ['Mail.ReadWrite'],
  'Mail.Send': ['Mail.Send'],
  'Calendars.ReadWrite': ['Calendars.ReadWrite'],
  'Calendars.Read': ['Calendars.Read', 'Calendars.ReadWrite'],
  'User.Read.All': ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'Place.Read.All': ['Place.Read.All', 'Place.ReadWrite.All'],
};

const rolesByJobType: Record<string, readonly string[]> = {
  mail: ['Mail.ReadWrite'],
  // A notification is made a draft (Mail.ReadWrite) and sent by id (Mail.Send): src/notify/send-notification.ts.
  notifications: ['Mail.Send', 'Mail.ReadWrite'],
  'calendar-publish': ['Calendars.ReadWrite'],
  'calendar-read': ['Calendars.Read'],
  'room-sync': ['Calendars.ReadWrite', 'Place.Read.All'],
};

/** The application permissions each enabled job on this connection needs, plus User.Read.All for lookupPrincipalName. */
export function requiredRoles(jobs: readonly ConnectionJob[], options: { lookupPrincipalName: boolean; notificationsOn: boolean }): RoleNeed[] {
  const needs: RoleNeed[] = [];
  const add = (role: string, job: string, jobType: string): void => {
    needs.push({ role, anyOf: satisfiedBy[role] ?? [role], job, jobType });
  };
  for (const job of jobs) {
    for (const role of rolesByJobType[job.type] ?? []) add(role, job.name, job.type);
    if (job.sendsMail === true || (job.type === 'mail' && options.notificationsOn)) add('Mail.Send', job.name, job.type);
    if (job.lookupPrincipalName === true) add('User.Read.All', job.name, job.type);
  }
  if (options.lookupPrincipalName) add('User.Read.All', 'lookupPrincipalName', 'connection');
  return needs;
}

export function missingRoles(needs: readonly RoleNeed[], granted: readonly string[]): RoleNeed[] {
  const have = new Set(granted.map((g) => g.toLowerCase()));
  return needs.filter((need) => !need.anyOf.some((role) => have.has(role.toLowerCase())));
}
