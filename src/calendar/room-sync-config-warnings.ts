import type { ConfigProblem } from '../config/config-problem.ts';
import type { JobConfig } from '../config/job-config.ts';

/**
 * What is valid but does not do what it seems to: the seed warns that with both user-calendar delegation and
 * strict mode on, user calendars are still queried. `mailroom config validate` prints these without failing.
 */
export function roomSyncConfigWarnings(jobs: readonly JobConfig[]): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  const indexInFile = new Map<string, number>();
  for (const job of jobs) {
    // loadConfig keeps each file's jobs in file order, so the position among its file's jobs is the JSON index.
    const index = indexInFile.get(job.file) ?? 0;
    indexInFile.set(job.file, index + 1);
    if (job.type !== 'room-sync' || job.userCalendarStrictMode !== true) continue;
    const pointer = `/jobs/${index}/userCalendarStrictMode`;
    if (job.enableUserCalendarDelegation === true) {
      warnings.push({
        file: job.file, pointer,
        message: `job "${job.name}": with enableUserCalendarDelegation also on, user calendars are still queried: the organizer's event of each reservation that delegation updates or cancels is looked up and written in the user's calendar`,
      });
    }
    if (job.createUserCalendarReservations === true) {
      warnings.push({
        file: job.file, pointer,
        message: `job "${job.name}": with createUserCalendarReservations on, new reservations are still written into their organizers' calendars`,
      });
    }
  }
  return warnings;
}
