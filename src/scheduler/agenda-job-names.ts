import type { JobConfig } from '../config/job-config.ts';

/**
 * One Agenda definition per job type; each configured job is one repeating Agenda job of that type, told apart by
 * `data.job` and kept single with unique() (Agenda's every() would keep one job per name only).
 */
export const agendaJobNames: Record<JobConfig['type'], string> = {
  mail: 'mail.poll',
  notifications: 'notify.send',
  'calendar-publish': 'calendar.publish',
  'calendar-read': 'calendar.read',
  'room-sync': 'rooms.sync',
  alerts: 'alerts.evaluate',
};

export interface AgendaJobData {
  job: string;
}
